// Lesson 01 of the course: see course/01-linear-regression.mjs. Run: node examples/01-linear-regression.mjs [--quick] [--backend js] [--charts DIR]
import { lessons } from './course/index.mjs';
import { runLesson } from './tools/cli.mjs';

await runLesson(lessons[0]);
