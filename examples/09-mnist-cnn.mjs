// Lesson 09 of the course: see course/09-mnist-cnn.mjs. Run: node examples/09-mnist-cnn.mjs [--quick] [--backend js] [--charts DIR]
import { lessons } from './course/index.mjs';
import { runLesson } from './tools/cli.mjs';

await runLesson(lessons[8]);
