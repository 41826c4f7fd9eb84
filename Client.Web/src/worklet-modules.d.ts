/** Bundled AudioWorklet processor source, inlined at build time (see build.mjs). */
declare module 'worklet:*' {
  const source: string;
  export default source;
}
