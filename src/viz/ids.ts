// Mermaid state ids: unique across the whole diagram (Mermaid has one namespace for all nesting
// levels), made of word characters only (beautiful-mermaid's parser reads `[\w]+`, Mermaid's stops
// at `-`, `:` and `{`), and never one of the words Mermaid's state lexer takes as a keyword.

const RESERVED = new Set(['default', 'state', 'note', 'class', 'classdef', 'scale', 'direction', 'style', 'end', 'acctitle', 'accdescr', 'statediagram', 'hide']);

export class IdAllocator {
  private readonly taken = new Set<string>();

  /** A unique id from path segments: ['link', 'open'] → `link_open`. */
  allocate(segments: readonly string[]): string {
    let base = segments.map((s) => s.replace(/[^A-Za-z0-9_]/g, '_')).join('_') || 'state';
    if (RESERVED.has(base.toLowerCase())) base = `${base}_`;
    let id = base;
    for (let n = 2; this.taken.has(id); n += 1) id = `${base}_${n}`;
    this.taken.add(id);
    return id;
  }
}
