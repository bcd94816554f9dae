// Lesson 06 of the course: see course/06-mlp-regression.mjs. Run: node examples/06-mlp-regression.mjs [--quick] [--backend js] [--charts DIR]
import { lessons } from './course/index.mjs';
import { runLesson } from './tools/cli.mjs';

await runLesson(lessons[5]);
