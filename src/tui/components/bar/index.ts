export { Bar, barText, type BarProps } from './bar.js';
