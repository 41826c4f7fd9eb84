const loaded = new WeakMap<AudioContext, Set<string>>();

/** Loads a bundled worklet module into `context` once, from a Blob URL (the library ships as one file). */
export async function loadWorklet(context: AudioContext, name: string, source: string): Promise<void> {
  let names = loaded.get(context);
  if (names === undefined) {
    names = new Set();
    loaded.set(context, names);
  }
  if (names.has(name)) return;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  try {
    await context.audioWorklet.addModule(url);
    names.add(name);
  } finally {
    URL.revokeObjectURL(url);
  }
}
