// How this process runs TypeScript. Node >= 22.18 strips types itself (process.features.typescript);
// older Node registers tsx's loader instead. Every .ts file in src/ uses only erasable syntax
// (tsconfig: erasableSyntaxOnly), so both routes run the same code.
export const nativeTypeScript = Boolean(process.features.typescript);

/** Makes `import('./x.ts')` work in this thread: nothing to do natively, tsx's loader otherwise. */
export async function enableTypeScript() {
  if (nativeTypeScript) return;
  const { register } = await import('tsx/esm/api');
  register();
}
