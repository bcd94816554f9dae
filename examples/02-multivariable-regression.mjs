// Lesson 02 of the course: see course/02-multivariable-regression.mjs. Run: node examples/02-multivariable-regression.mjs [--quick] [--backend js] [--charts DIR]
import { lessons } from './course/index.mjs';
import { runLesson } from './tools/cli.mjs';

await runLesson(lessons[1]);
