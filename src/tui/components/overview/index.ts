export { Overview, overviewLines, statsValueText, STATS_HIGHLIGHTS, type OverviewProps } from './overview.js';
