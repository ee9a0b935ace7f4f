/**
 * Events between the popup's parts, in a module of their own so a reading-list row can raise one
 * without loading the tab that answers it (the Related tab loads after the first paint).
 */

/** The event a reading-list row dispatches to ask for papers similar to it (the Related tab). */
export const SIMILAR_EVENT = 'paper-scout:similar';
