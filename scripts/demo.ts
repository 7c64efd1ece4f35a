// `npm run demo`: the end-to-end story on in-process chains. Chapters live in src/demo/.
import { runDemo } from "../src/demo/main.ts";

await runDemo();
process.exit(0);
