// Lesson 07 of the course: see course/07-mlp-radial.mjs. Run: node examples/07-mlp-radial.mjs [--quick] [--backend js] [--charts DIR]
import { lessons } from './course/index.mjs';
import { runLesson } from './tools/cli.mjs';

await runLesson(lessons[6]);
