// Lesson 08 of the course: see course/08-mnist-mlp.mjs. Run: node examples/08-mnist-mlp.mjs [--quick] [--backend js] [--charts DIR]
import { lessons } from './course/index.mjs';
import { runLesson } from './tools/cli.mjs';

await runLesson(lessons[7]);
