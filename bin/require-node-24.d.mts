// Types for require-node-24.mjs (plain JavaScript so that any Node can run it).
export declare const REQUIRED_NODE_MAJOR: number;
/** The sentence to print for this Node version, or null when it is new enough. */
export declare function nodeVersionProblem(version?: string): string | null;
/** Prints that sentence and exits 1 on a Node older than 24. */
export declare function requireNode24(): void;
