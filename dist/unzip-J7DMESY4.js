import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  require_unzip
} from "./chunk-GEQNN2VI.js";
import "./chunk-NV5WPINZ.js";
export default require_unzip();
