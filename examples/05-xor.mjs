// Lesson 05 of the course: see course/05-xor.mjs. Run: node examples/05-xor.mjs [--quick] [--backend js] [--charts DIR]
import { lessons } from './course/index.mjs';
import { runLesson } from './tools/cli.mjs';

await runLesson(lessons[4]);
