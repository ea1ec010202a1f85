export { ScrollView, line, wrapText, scrollRoom, type ScrollLine, type ScrollViewProps } from './scroll-view.js';
export { useScrollViewState, scrollReducer, clampScroll, scrollKey, type ScrollAction, type ScrollShape, type ScrollHandle } from './use-scroll-view-state.js';
