// Lesson 10 of the course: see course/10-names-gru.mjs. Run: node examples/10-names-gru.mjs [--quick] [--backend js] [--charts DIR]
import { lessons } from './course/index.mjs';
import { runLesson } from './tools/cli.mjs';

await runLesson(lessons[9]);
