import { hotCommands } from './hot-list';
import { runProcess } from './run';

// Entry of the hot commands (fast-bin.ts requires this module only for them).
runProcess(hotCommands);
