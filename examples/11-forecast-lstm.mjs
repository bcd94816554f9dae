// Lesson 11 of the course: see course/11-forecast-lstm.mjs. Run: node examples/11-forecast-lstm.mjs [--quick] [--backend js] [--charts DIR]
import { lessons } from './course/index.mjs';
import { runLesson } from './tools/cli.mjs';

await runLesson(lessons[10]);
