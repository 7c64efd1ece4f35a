// The demo story, chapter by chapter. Each chapter prints readable tables and hands its state on.
export async function runDemo(): Promise<void> {
  console.log("Dexetra demo: chapters land with the contracts (see README).");
}
