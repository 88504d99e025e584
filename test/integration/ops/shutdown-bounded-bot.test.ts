import { describeBoundedShutdown } from './shutdown-bounded.js';

describeBoundedShutdown('bot');
