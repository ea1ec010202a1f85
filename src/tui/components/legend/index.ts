export { Legend, type LegendItem } from './legend.js';
