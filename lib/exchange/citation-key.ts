/** BibTeX citation keys: no spaces, braces, commas, quotes, #, %, ~, = or backslashes. */
export const CITATION_KEY = /^[^\s{}(),"'#%~\\=]{1,200}$/;
