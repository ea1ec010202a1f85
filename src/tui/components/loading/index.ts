export { Loading, type LoadingProps } from './loading.js';
export { loadingFigures, type LoadingFigures } from './use-loading-state.js';
export { Syncing, type SyncingProps } from './syncing.js';
