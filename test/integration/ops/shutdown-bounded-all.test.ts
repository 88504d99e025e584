import { describeBoundedShutdown } from './shutdown-bounded.js';

describeBoundedShutdown('all');
