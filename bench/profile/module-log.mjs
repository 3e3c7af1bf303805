// node --import ./bench/profile/module-log.mjs ...: logs each module the program loads.
import { register } from 'node:module';
register('./module-log-hooks.mjs', import.meta.url);
