export { Overview, overviewLines, linkText, statsValueText, STATS_HIGHLIGHTS, type OverviewProps } from './overview.js';
