// Lesson 04 of the course: see course/04-softmax-iris.mjs. Run: node examples/04-softmax-iris.mjs [--quick] [--backend js] [--charts DIR]
import { lessons } from './course/index.mjs';
import { runLesson } from './tools/cli.mjs';

await runLesson(lessons[3]);
