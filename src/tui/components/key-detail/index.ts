export { KeyDetailView, keyDetailLines, type KeyDetailViewProps } from './key-detail.js';
export { useKeyDetailState, DETAIL_ELEMENTS, type KeyDetailState } from './use-key-detail-state.js';
