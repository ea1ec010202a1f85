/**
 * The explorer: a loading screen while the dumps are read, then five views a key apart
 * (Overview, Doctor, Top keys, Prefixes, Expiry), the key detail over any key row, help, filter
 * and export (the report as a workbook, the view as CSV). Layout, top to bottom: header and tabs, the view, the status line, the key
 * legend. The app uses one line less than the terminal has (Ink then never has to clear the
 * screen between frames).
 */
import { useEffect, useMemo, useState } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import path from 'node:path';
import type { Explorer, ExplorerOptions } from './data/explorer.js';
import { parsePattern, prefixPattern, runFilter, type KeyPattern } from './data/filter.js';
import type { LiveFeedOptions, ReplicationStatus } from './data/live.js';
import { formatBytes, formatCount, safeText, terminalText } from './data/format.js';
import { doctorTable, expiryTable, keyDetailTable, keysTable, overviewTable, prefixesTable } from './data/view-tables.js';
import type { CsvTable } from './data/export-csv.js';
import { useLoader } from './hooks/use-loader.js';
import { useLiveFeed } from './hooks/use-live-feed.js';
import { useTerminalSize, type TerminalSize } from './hooks/use-terminal-size.js';
import { useAppState, VIEWS, type AppState } from './hooks/use-app-state.js';
import { useFilter, type FilterHandle } from './hooks/use-filter.js';
import { useExport, type ExportState } from './hooks/use-export.js';
import { useKeyRouter, type KeyHandler } from './hooks/use-key-router.js';
import { Loading, Syncing } from './components/loading/index.js';
import { Header } from './components/header/index.js';
import { Legend, type LegendItem } from './components/legend/index.js';
import { Help } from './components/help/index.js';
import { FilterPrompt, promptInput, useFilterPromptState } from './components/filter-prompt/index.js';
import { scrollKey, scrollRoom, useScrollViewState } from './components/scroll-view/index.js';
import { tableKey } from './components/table/index.js';
import { Overview, overviewLines, linkText } from './components/overview/index.js';
import { Doctor, doctorListRows, useDoctorState } from './components/doctor/index.js';
import { TopKeys, topKeysInput, useTopKeysState, orderOf } from './components/top-keys/index.js';
import { Prefixes, prefixesInput, rowLabel, usePrefixesState, type PrefixRow } from './components/prefixes/index.js';
import { Expiry, expiryInput, firstRowOfBucket, useExpiryState } from './components/expiry/index.js';
import { KeyDetailView, keyDetailLines, useKeyDetailState } from './components/key-detail/index.js';
import { Evict, evictEditing, evictInput, useEvictState } from './components/evict/index.js';
import { EvictSimulation } from './data/evict.js';
import { theme } from './theme.js';

/** Below this the views cannot be laid out: a notice is shown instead. */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 12;

/** Lines around the view: header and tabs, status line, legend. */
const CHROME = 4;

export interface AppProps {
  options: ExplorerOptions;
  /** an explorer already loaded (tests, benchmarks): no loading screen */
  explorer?: Explorer;
  /** where `e` writes its CSV files (default: the current directory) */
  exportDir?: string;
  /** following a primary (options.replica): the feed's timings (tests) */
  liveOptions?: LiveFeedOptions;
}

export function App({ options, explorer, exportDir, liveOptions }: AppProps) {
  const size = useTerminalSize();
  const loader = useLoader(options, explorer);
  const live = useLiveFeed(options, liveOptions);
  const { exit } = useApp();
  const following = options.replica !== undefined;
  useInput(
    (input) => {
      if (input === 'q') exit();
    },
    { isActive: following ? live.status !== 'ready' : loader.status !== 'ready' },
  );
  if (following) {
    if (live.status === 'ready') {
      return <ExplorerScreen explorer={live.explorer} rep={live.rep} size={size} exportDir={exportDir ?? process.cwd()} onQuit={exit} />;
    }
    if (live.status === 'off') return <Text color={theme.muted}>rdblens: following {options.replica!.host}:{options.replica!.port}…</Text>;
    return <Syncing rep={live.rep} startedAt={live.startedAt} now={live.now} indexing={live.indexing} width={size.columns} />;
  }
  if (loader.status === 'failed') {
    return (
      <Box flexDirection="column" paddingX={1}>
        <Text color={theme.error}>rdblens: {safeText(loader.error)}</Text>
        <Text color={theme.muted}>q quits</Text>
      </Box>
    );
  }
  if (loader.status === 'loading') {
    return <Loading files={options.files} progress={loader.progress} startedAt={loader.startedAt} now={loader.now} width={size.columns} />;
  }
  return <ExplorerScreen explorer={loader.explorer} size={size} exportDir={exportDir ?? process.cwd()} onQuit={exit} />;
}

function titleOf(files: readonly string[], rep?: ReplicationStatus | null): string {
  if (rep) return safeText(rep.source);
  const first = safeText(path.basename(files[0] ?? ''));
  return files.length > 1 ? `${first} +${files.length - 1} more` : first;
}

function filterLabel(f: FilterHandle): string | null {
  const s = f.state;
  if (s.status === 'none') return null;
  if (s.status === 'running') return `[${safeText(s.pattern.text)}] ${Math.round(s.progress * 100)}%`;
  return `[${safeText(s.pattern.text)}] ${formatCount(s.result.keys)} keys`;
}

function exportLine(s: ExportState): { text: string; color?: string } | null {
  switch (s.status) {
    case 'idle':
      return null;
    case 'running':
      return { text: s.total > 0 ? `exporting ${formatCount(s.rows)} of ${formatCount(s.total)} rows to ${safeText(s.path)}…` : `exporting the report to ${safeText(s.path)}…` };
    case 'done':
      return { text: `exported ${formatCount(s.rows)} rows to ${safeText(s.path)}`, color: theme.ok };
    case 'workbook':
      return { text: `exported the report (${s.sheets} sheets) to ${safeText(s.path)}`, color: theme.ok };
    case 'failed':
      return { text: `export failed: ${safeText(s.error)}`, color: theme.error };
  }
}

interface ScreenProps {
  explorer: Explorer;
  /** following a primary: the replication figures now */
  rep?: ReplicationStatus | null;
  size: TerminalSize;
  exportDir: string;
  onQuit: () => void;
}

function ExplorerScreen({ explorer: incoming, rep = null, size, exportDir, onQuit }: ScreenProps) {
  const width = size.columns;
  const height = size.rows - 1;
  const tiny = width < MIN_COLUMNS || height < MIN_ROWS;
  const body = Math.max(1, height - CHROME);
  // following a primary, explorers are rebuilt as the data changes: the one shown changes
  // together with what depends on its ids (the filter's matches, the open key)
  const [explorer, setExplorer] = useState(incoming);
  const summary = explorer.summary;
  const [app, dispatch, getApp] = useAppState();
  const [promptText, promptDispatch, getPrompt] = useFilterPromptState();
  const filter = useFilter(explorer);
  const exporter = useExport(exportDir);
  const filterStatus = filter.state.status;
  const { get: getFilter, replace: replaceFilter } = filter;
  useEffect(() => {
    if (incoming === explorer || filterStatus === 'running') return;
    const swap = (): void => {
      const a = getApp();
      if (a.detail >= 0) {
        // the open key keeps its detail under its new id (or closes: deleted)
        const g = incoming.index.find(explorer.index.dbOf(a.detail), explorer.index.keyOf(a.detail));
        if (g < 0) {
          dispatch({ type: 'close-detail' });
          dispatch({ type: 'message', tone: 'info', text: 'the key was deleted on the primary' });
        } else if (g !== a.detail) dispatch({ type: 'open-detail', gid: g });
      }
      setExplorer(incoming);
    };
    const f = getFilter();
    if (f.status !== 'done') {
      swap();
      return;
    }
    // the filter in force, again over the new index; the screen switches when it is done
    const run = runFilter(incoming.index, f.pattern, { now: incoming.options.now, prefix: incoming.prefixOptions });
    void run.promise.then((result) => {
      if (!result || getFilter() !== f) return;
      replaceFilter(f.pattern, result);
      swap();
    });
    return () => run.cancel();
  }, [incoming, explorer, filterStatus, getFilter, replaceFilter, getApp, dispatch]);

  // views' state: kept while another view is shown
  const ovLines = useMemo(() => overviewLines(explorer, width, rep), [explorer, width, rep]);
  const overview = useScrollViewState({ total: ovLines.length, height: scrollRoom(ovLines.length, body) });
  const doctor = useDoctorState(summary.doctor, doctorListRows(body, summary.doctor?.tips.length ?? 0));
  const top = useTopKeysState(explorer, filter.result, Math.max(1, body - 2));
  const tree = filter.result?.prefixes ?? summary.prefixes;
  const prefixes = usePrefixesState(tree, Math.max(1, body - 2));
  const tally = filter.result?.expiry ?? explorer.expiry;
  const expiry = useExpiryState(tally, Math.max(1, body - 2));
  // Evict: simulated servers loaded from the dumps on the first limit typed (none when following)
  const evictSim = useMemo(() => (explorer.loaded.files.length > 0 && !explorer.live ? new EvictSimulation(explorer.options) : null), [explorer.loaded.files, explorer.live, explorer.options]);
  const evict = useEvictState(evictSim, Math.max(1, body - 9));
  const detail = useKeyDetailState(explorer, app.detail);
  const dLines = useMemo(() => (detail.status === 'ready' ? keyDetailLines(explorer, detail.detail, width) : []), [explorer, detail, width]);
  const detailScroll = useScrollViewState({ total: dLines.length, height: scrollRoom(dLines.length, body) });
  const resetDetailScroll = detailScroll.dispatch;
  useEffect(() => resetDetailScroll({ type: 'reset' }), [app.detail, resetDetailScroll]);

  // status messages: the filter's outcome, cleared by the next key
  const filterState = filter.state;
  useEffect(() => {
    if (filterState.status === 'done' && !filterState.refreshed) {
      dispatch({
        type: 'message',
        tone: 'ok',
        text: `filter ${safeText(filterState.pattern.text)}: ${formatCount(filterState.result.keys)} keys (${formatBytes(filterState.result.bytes)}) in ${Math.round(filterState.ms)} ms`,
      });
    }
  }, [filterState, dispatch]);

  const exportCurrent = (): void => {
    const a = getApp();
    let table: CsvTable;
    if (a.detail >= 0) {
      if (detail.status !== 'ready' || detail.gid !== a.detail) return;
      table = keyDetailTable(explorer, detail.detail);
    } else {
      switch (a.view) {
        case 'overview':
          table = overviewTable(explorer);
          break;
        case 'doctor':
          table = doctorTable(doctor.tips);
          break;
        case 'keys':
          table = keysTable(explorer, top.total, top.gidAt);
          break;
        case 'prefixes':
          table = prefixesTable(
            explorer,
            prefixes.rows.map((r) => ({ ...r, prefix: r.node ? r.node.prefix : null, label: rowLabel(r, explorer.options.escape) })),
            prefixes.node.bytes,
          );
          break;
        case 'expiry':
          table = expiryTable(tally);
          break;
        case 'evict':
          if (evict.run.status !== 'done') return dispatch({ type: 'message', tone: 'info', text: 'nothing to export: type a limit first' });
          table = evict.run.result.csv;
          break;
      }
    }
    exporter.start(table);
  };

  const applyFilter = (text: string): void => {
    if (text.trim() === '') {
      filter.clear();
      dispatch({ type: 'close-overlay' });
      dispatch({ type: 'message', tone: 'info', text: 'filter cleared' });
      return;
    }
    let pattern: KeyPattern;
    try {
      pattern = parsePattern(text);
    } catch (err) {
      dispatch({ type: 'message', tone: 'error', text: err instanceof Error ? err.message : String(err) });
      return;
    }
    dispatch({ type: 'clear-message' });
    filter.apply(pattern);
    // a new list: from its top
    top.dispatch({ type: 'table', action: { type: 'reset' } });
    dispatch({ type: 'close-overlay' });
    // the filtered list, not the key that was open
    dispatch({ type: 'close-detail' });
  };

  const showKeysUnder = (row: PrefixRow): void => {
    filter.apply(prefixPattern(row.node!.prefix, terminalText(row.node!.prefix, explorer.options.escape)));
    top.dispatch({ type: 'table', action: { type: 'reset' } });
    dispatch({ type: 'show-view', view: 'keys' });
  };

  const showBucket = (bucket: number): void => {
    const row = firstRowOfBucket(orderOf(explorer, filter.result, 'ttl'), explorer.index, bucket, tally.now);
    top.dispatch({ type: 'jump', sort: 'ttl', reversed: false, row });
    dispatch({ type: 'show-view', view: 'keys' });
  };

  // every key goes through here, decided on the latest state (see hooks/use-key-router.ts)
  const route: KeyHandler = (input, key) => {
    if (tiny) {
      if (input === 'q') onQuit();
      return;
    }
    const a = getApp();
    if (a.overlay === 'filter') {
      promptInput(promptDispatch, getPrompt, input, key, { submit: applyFilter, cancel: () => dispatch({ type: 'close-overlay' }) });
      return;
    }
    if (a.message) dispatch({ type: 'clear-message' });
    // typing Evict's limit: its keys, digits included
    if (a.view === 'evict' && a.detail < 0 && a.overlay === null && evictEditing(evict)) {
      evictInput(evict, input, key);
      return;
    }
    if (a.overlay === 'help') {
      // any key closes the help; q still quits
      if (input === 'q') onQuit();
      else dispatch({ type: 'close-overlay' });
      return;
    }
    if (input === 'q') return onQuit();
    if (input === '?') return dispatch({ type: 'open-overlay', overlay: 'help' });
    if (input === '/') {
      const f = filter.state;
      promptDispatch({ type: 'set', text: f.status === 'none' ? '' : f.pattern.text });
      return dispatch({ type: 'open-overlay', overlay: 'filter' });
    }
    if (input === 'e') return exporter.startWorkbook(explorer);
    if (input === 'E') return exportCurrent();
    if (key.tab) return dispatch({ type: 'next-view', step: key.shift ? -1 : 1 });
    const v = VIEWS.find((x) => x.key === input);
    if (v) return dispatch({ type: 'show-view', view: v.id });
    if (a.detail >= 0) {
      if (scrollKey(detailScroll.dispatch, input, key)) return;
      if (key.escape || key.backspace || key.delete || key.leftArrow) dispatch({ type: 'close-detail' });
      return;
    }
    switch (a.view) {
      case 'overview':
        scrollKey(overview.dispatch, input, key);
        return;
      case 'doctor':
        tableKey(doctor.table.dispatch, input, key);
        return;
      case 'keys':
        topKeysInput(top, input, key, (gid) => dispatch({ type: 'open-detail', gid }));
        return;
      case 'prefixes':
        prefixesInput(prefixes, input, key, showKeysUnder);
        return;
      case 'expiry':
        expiryInput(expiry, input, key, showBucket);
        return;
      case 'evict':
        evictInput(evict, input, key);
        return;
    }
  };
  useKeyRouter(route);

  const inDetail = app.detail >= 0;
  if (tiny) {
    return (
      <Box flexDirection="column">
        <Text wrap="truncate-end">
          Terminal too small ({width}x{size.rows}): rdblens needs {MIN_COLUMNS}x{MIN_ROWS + 1}.
        </Text>
        <Text color={theme.muted}>q quits</Text>
      </Box>
    );
  }

  let view;
  if (app.overlay === 'help') view = <Help height={body} />;
  else if (inDetail) view = <KeyDetailView state={detail} lines={dLines} offset={detailScroll.offset} height={body} />;
  else {
    switch (app.view) {
      case 'overview':
        view = <Overview lines={ovLines} offset={overview.offset} height={body} />;
        break;
      case 'doctor':
        view = <Doctor report={summary.doctor} error={summary.doctorError} tips={doctor.tips} table={doctor.table} totalBytes={summary.usedMemory ?? summary.bytes} width={width} height={body} />;
        break;
      case 'keys':
        view = <TopKeys explorer={explorer} filter={filter.result} state={top} width={width} height={body} />;
        break;
      case 'prefixes':
        view = (
          <Prefixes
            state={prefixes}
            mode={explorer.options.escape}
            width={width}
            height={body}
            separators={explorer.options.separators}
            depth={explorer.options.depth}
            filtered={filter.result !== null}
          />
        );
        break;
      case 'expiry':
        view = <Expiry tally={tally} state={expiry} width={width} height={body} filtered={filter.result !== null} />;
        break;
      case 'evict':
        view = <Evict state={evict} unavailable={evictSim ? null : 'Evict works on dumps: not while following a primary'} mode={explorer.options.escape} width={width} height={body} />;
        break;
    }
  }

  const facts = rep
    ? `${formatCount(rep.keys)} keys · used_memory ≈ ${formatBytes(rep.usedMemory)} · ${linkText(rep)} · lag ${formatBytes(rep.lagBytes)}`
    : `${formatCount(explorer.index.size)} keys${summary.usedMemory !== null ? ` · used_memory ≈ ${formatBytes(summary.usedMemory)}` : ''}`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header title={titleOf(explorer.loaded.files, rep)} facts={facts} view={app.view} detail={inDetail} filter={filterLabel(filter)} width={width} />
      <Box height={body} flexDirection="column" overflow="hidden">
        {view}
      </Box>
      {app.overlay === 'filter' ? (
        <FilterPrompt text={promptText} />
      ) : (
        <StatusLine app={app} filter={filter} exportState={exporter.state} explorer={explorer} rep={rep} />
      )}
      {app.overlay === 'filter' && app.message?.tone === 'error' ? (
        <Box height={1} overflow="hidden">
          <Text wrap="truncate-end" color={theme.error}>
            {safeText(app.message.text)}
          </Text>
        </Box>
      ) : (
        <Legend items={legendItems(app, inDetail)} />
      )}
    </Box>
  );
}

function StatusLine({ app, filter, exportState, explorer, rep }: { app: AppState; filter: FilterHandle; exportState: ExportState; explorer: Explorer; rep: ReplicationStatus | null }) {
  let text = '';
  let color: string | undefined;
  const exp = exportLine(exportState);
  const broken = explorer.summary.files.find((f) => f.error !== null);
  if (exportState.status === 'running' && exp) ({ text, color } = exp);
  else if (filter.state.status === 'running') text = `filtering ${safeText(filter.state.pattern.text)}… ${Math.round(filter.state.progress * 100)}%`;
  else if (app.message) {
    text = app.message.text;
    color = app.message.tone === 'error' ? theme.error : app.message.tone === 'ok' ? theme.ok : undefined;
  } else if (exp && exportState.status !== 'idle') ({ text, color } = exp);
  else if (rep && rep.link === 'down') {
    text = `⚠ link to ${safeText(rep.source)} down${rep.lastError ? `: ${safeText(rep.lastError)}` : ''}; retrying, showing the data as of then`;
    color = theme.error;
  } else if (rep && rep.sync && rep.synced) {
    const s = rep.sync;
    text = `full resync from ${safeText(rep.source)}: ${formatBytes(s.read)}${s.size !== null ? ` of ${formatBytes(s.size)}` : ''}, ${formatCount(s.keys)} keys; showing the previous data`;
    color = theme.warning;
  } else if (rep && (rep.unsupported > 0 || rep.staleKeys > 0)) {
    text = `${formatCount(rep.applied)} commands applied · ${formatCount(rep.unsupported)} unsupported · ${formatCount(rep.staleKeys)} stale keys`;
    color = theme.muted;
  } else if (broken) {
    text = `⚠ ${safeText(broken.error!)}: showing what was read`;
    color = theme.error;
  }
  return (
    <Box height={1} overflow="hidden">
      <Text wrap="truncate-end" color={color}>
        {text || ' '}
      </Text>
    </Box>
  );
}

function legendItems(app: AppState, inDetail: boolean): LegendItem[] {
  const tail: LegendItem[] = [
    { key: '/', label: 'filter' },
    { key: 'e', label: 'export' },
    { key: '1-6', label: 'views' },
    { key: '?', label: 'help' },
    { key: 'q', label: 'quit' },
  ];
  if (app.overlay === 'help') return [{ key: 'any key', label: 'closes the help' }];
  if (app.overlay === 'filter') return [{ key: '⏎', label: 'apply (empty clears)' }, { key: 'Esc', label: 'cancel' }, { key: '^U', label: 'clear' }];
  if (inDetail) return [{ key: '↑↓', label: 'scroll' }, { key: 'Esc', label: 'back' }, ...tail];
  switch (app.view) {
    case 'overview':
      return [{ key: '↑↓', label: 'scroll' }, ...tail];
    case 'doctor':
      return [{ key: '↑↓', label: 'select' }, ...tail];
    case 'keys':
      return [{ key: '↑↓', label: 'move' }, { key: '⏎', label: 'key' }, { key: 's', label: 'sort' }, { key: 'r', label: 'rev' }, ...tail];
    case 'prefixes':
      return [{ key: '⏎', label: 'open' }, { key: '⌫', label: 'up' }, { key: 't', label: 'keys' }, { key: 's', label: 'sort' }, ...tail];
    case 'expiry':
      return [{ key: '↑↓', label: 'move' }, { key: '⏎', label: 'keys' }, ...tail];
    case 'evict':
      return [{ key: 'm', label: 'limit' }, { key: 'p', label: 'policy' }, { key: 'x', label: 'exact' }, { key: '↑↓', label: 'move' }, ...tail];
  }
}
