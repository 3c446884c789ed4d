// Accessibility of every page in Chinese (see a11y_lib.mjs for what is checked), and the checks'
// own test: each kind of problem they look for is caught.
import { a11ySuite } from './a11y_lib.mjs';

a11ySuite(['zh'], { selfCheck: true });
