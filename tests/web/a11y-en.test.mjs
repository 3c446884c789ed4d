// Accessibility of every page in English (see a11y_lib.mjs for what is checked).
import { a11ySuite } from './a11y_lib.mjs';

a11ySuite(['en']);
