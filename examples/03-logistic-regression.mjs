// Lesson 03 of the course: see course/03-logistic-regression.mjs. Run: node examples/03-logistic-regression.mjs [--quick] [--backend js] [--charts DIR]
import { lessons } from './course/index.mjs';
import { runLesson } from './tools/cli.mjs';

await runLesson(lessons[2]);
