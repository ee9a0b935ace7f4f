"""
Reference baselines for bench/related/run.mjs, with Debian's python3-sklearn (the components
arxiv-sanity-lite uses). Run by run.mjs with a job file; writes a JSON result file.

- asl: arxiv-sanity-lite exactly (compute.py at HEAD d7a303b: TfidfVectorizer with word 1-2 grams,
  sublinear tf, english stop words, token pattern, 20,000 features, min_df 5, max_df 0.1, over
  title + abstract + authors; serve.py svm_rank: LinearSVC(class_weight='balanced',
  max_iter=10000, tol=1e-6, C=0.01), the query paper (or a tag's papers) the only positives,
  every other paper negative, ranked by decision_function).
- unigram: cosine over unigram TF-IDF (sklearn defaults + english stop words + sublinear tf,
  over title + abstract).

Usage: python3 baselines.py job.json out.json
"""
import gzip
import json
import sys
import time

import numpy as np
from sklearn import svm
from sklearn.feature_extraction.text import TfidfVectorizer


def asl_vectorizer():
    return TfidfVectorizer(input='content', encoding='utf-8', decode_error='replace',
                           strip_accents='unicode', lowercase=True, analyzer='word',
                           stop_words='english', token_pattern=r'(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b',
                           ngram_range=(1, 2), max_features=20000, norm='l2', use_idf=True,
                           smooth_idf=True, sublinear_tf=True, max_df=0.1, min_df=5)


def unigram_vectorizer():
    return TfidfVectorizer(stop_words='english', sublinear_tf=True)


def asl_text(p):
    return ' '.join([p['title'], p.get('abstract') or '', ' '.join(p.get('authors') or [])])


def svm_scores(x, positives):
    y = np.zeros(x.shape[0], dtype=np.float32)
    y[positives] = 1.0
    clf = svm.LinearSVC(class_weight='balanced', verbose=False, max_iter=10000, tol=1e-6, C=0.01)
    clf.fit(x, y)
    return clf.decision_function(x)


def top_excluding(scores, exclude, k):
    s = np.array(scores, dtype=np.float64)
    s[list(exclude)] = -np.inf
    idx = np.argpartition(-s, k)[:k]
    return [int(i) for i in idx[np.argsort(-s[idx], kind='stable')]]


def log(*a):
    print('[baselines]', *a, file=sys.stderr, flush=True)


def run_arxiv(job, out):
    papers = [json.loads(l) for l in gzip.open(job['arxivPath'], 'rt', encoding='utf-8')]
    k = job['k']
    res = {}
    t = time.process_time()
    xa = asl_vectorizer().fit_transform([asl_text(p) for p in papers]).astype(np.float32).tocsr()
    res['aslVectorizeSec'] = time.process_time() - t
    log('asl tfidf', xa.shape, round(res['aslVectorizeSec'], 1), 's')
    t = time.process_time()
    xu = unigram_vectorizer().fit_transform([p['title'] + ' ' + p['abstract'] for p in papers]).tocsr()
    res['unigramVectorizeSec'] = time.process_time() - t
    # Unigram cosine: top-k for every query.
    top = []
    t = time.process_time()
    qs = job['queries']
    for i in range(0, len(qs), 250):
        b = qs[i:i + 250]
        sims = (xu[b] @ xu.T).toarray()
        for r, q in enumerate(b):
            top.append(top_excluding(sims[r], [q], k))
    res['unigram'] = {'top': top, 'cpuSecPerQuery': (time.process_time() - t) / len(qs)}
    log('unigram done')
    # asl SVM per query.
    top, secs = [], []
    for n, q in enumerate(job['svmQueries']):
        t = time.process_time()
        s = svm_scores(xa, [q])
        top.append(top_excluding(s, [q], k))
        secs.append(time.process_time() - t)
        if n % 100 == 0:
            log('asl svm', n, '/', len(job['svmQueries']), 'mean', round(float(np.mean(secs)), 2), 's')
    res['asl'] = {'top': top, 'cpuSecPerQuery': float(np.mean(secs)),
                  'p95CpuSec': float(np.percentile(secs, 95))}
    # Tags: asl's per-tag SVM (every tag paper positive) and unigram centroid.
    tags = []
    for tag in job.get('tags', []):
        s = svm_scores(xa, tag)
        c = np.asarray(xu[tag].mean(axis=0)).ravel()
        u = xu @ c
        tags.append({'asl': top_excluding(s, tag, k), 'unigram': top_excluding(u, tag, k)})
    res['tags'] = tags
    out['arxiv'] = res


def run_csfcube(job, out):
    papers = [json.loads(l) for l in open(job['csfcubePath'] + '/papers.jsonl', encoding='utf-8')]
    pos = {p['paper_id']: i for i, p in enumerate(papers)}
    anns = {f: json.load(open(f"{job['csfcubePath']}/test-pid2anns-csfcube-{f}.json"))
            for f in ['background', 'method', 'result']}
    xa = asl_vectorizer().fit_transform([asl_text(p) for p in papers]).astype(np.float32).tocsr()
    xu = unigram_vectorizer().fit_transform([p['title'] + ' ' + p['abstract'] for p in papers]).tocsr()
    res = {'asl': {}, 'unigram': {}, 'aslTags': {}}
    svm_cache = {}
    for facet, a in anns.items():
        for qid, v in a.items():
            cands = [pos[c] for c in v['cands']]
            q = pos[qid]
            if qid not in svm_cache:
                svm_cache[qid] = svm_scores(xa, [q])
            res['asl'][f'{qid}_{facet}'] = [float(svm_cache[qid][c]) for c in cands]
            res['unigram'][f'{qid}_{facet}'] = [float(x) for x in (xu[cands] @ xu[q].T).toarray().ravel()]
    # Multi-positive "tags" (query + held-in relevant candidates), as given by the job.
    for key, tag in job.get('csfTags', {}).items():
        s = svm_scores(xa, [pos[p] for p in tag['positives']])
        res['aslTags'][key] = [float(s[pos[c]]) for c in tag['cands']]
    out['csfcube'] = res


def main():
    job = json.load(open(sys.argv[1]))
    out = {'sklearn': __import__('sklearn').__version__}
    if job.get('csfcubePath'):
        run_csfcube(job, out)
        log('csfcube done')
    if job.get('arxivPath'):
        run_arxiv(job, out)
    json.dump(out, open(sys.argv[2], 'w'))


if __name__ == '__main__':
    main()
