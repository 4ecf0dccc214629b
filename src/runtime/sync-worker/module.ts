// The module a sync worker thread runs. Node >= 22.18 strips TypeScript types itself, in worker
// threads too: the worker loads serve.ts directly. Older Node goes through entry.mjs, which
// registers tsx's loader inside the worker (worker threads do not inherit the main thread's loader);
// that route costs the worker ~0.4 s and ~100 MB more at start, which Node 20 users pay.

/** serve.ts itself, for Node that runs TypeScript natively. */
export const NATIVE_ENTRY = new URL('./serve.ts', import.meta.url);
/** entry.mjs: tsx's loader, then serve.ts. */
export const TSX_ENTRY = new URL('./entry.mjs', import.meta.url);

/** True where Node strips TypeScript types itself (>= 22.18; @types/node 20 does not know the flag yet). */
export const nativeTypeScript = Boolean((process.features as { typescript?: unknown }).typescript);

export function syncWorkerModule(native: boolean = nativeTypeScript): URL {
  return native ? NATIVE_ENTRY : TSX_ENTRY;
}
