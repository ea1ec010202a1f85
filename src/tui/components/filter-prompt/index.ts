export { FilterPrompt, type FilterPromptProps } from './filter-prompt.js';
export { promptReducer, promptInput, useFilterPromptState, type PromptAction } from './use-filter-prompt-state.js';
