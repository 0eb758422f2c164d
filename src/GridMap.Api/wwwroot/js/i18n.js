// Chinese by default; English on request (button, ?lang=en). Keys are shared by index.html (data-i18n)
// and the scripts (t()).
const dictionary = {
  zh: {
    title: 'GridMap 网格地图', searchPlaceholder: '搜索小区、网格、服务站…', tabLayers: '图层', tabStaff: '最近服务站',
    tabCoverage: '覆盖', tabPlanner: '网格规划', legend: '图例',
    staffHelp: '点击地图任意位置（或搜索小区），查找步行最近的三个服务站。', coverageLoad: '刷新覆盖统计',
    heatmapShow: '显示步行时间热力图', uncovered: '15 分钟未覆盖的小区', isochrone: '服务站等时圈', isochroneShow: '显示等时圈',
    clear: '清除', loginHelp: '规划编辑需要规划员 API 密钥（本浏览器会话有效）。', apiKey: 'API 密钥', login: '登录',
    signedIn: '已登录', logout: '退出', splitTitle: '自动划分网格', min: '下限', max: '上限', propose: '生成划分方案',
    apply: '应用方案', discard: '放弃方案', editTitle: '手工调整', editToggle: '编辑网格：先点网格，再点楼栋把它移入',
    history: '历史版本',
    sourceTiles: '数据来源：矢量瓦片', sourceGeoJson: '数据来源：GeoJSON（矢量瓦片服务尚未提供）',
    loading: '加载中…', noData: '数据库中还没有数据。', loadFailed: '无法加载图层 {layer}：{error}',
    notAvailable: '{feature}：服务器尚未提供此功能（{path} 不存在）。', serverError: '服务器错误 {status}：{detail}',
    featureNearest: '最近服务站', featureCoverage: '覆盖统计', featureIsochrone: '等时圈', featureHeatmap: '热力图',
    featureNeighbors: 'AB岗相邻网格', featureSplit: '网格划分', featureHistory: '网格历史', featureMove: '楼栋移动',
    minutes: '{n} 分钟', meters: '{n} 米', walk: '步行 {min} 分钟，{m} 米', gridOfPoint: '所在网格', gridHead: '网格长',
    phone: '电话', neighbors: 'AB岗相邻网格', none: '无', name: '名称', households: '户数', within: '{n} 分钟内',
    city: '全市', street: '街道', community: '社区', uncoveredItem: '{name}：{households} 户，步行 {min} 分钟',
    unreached: '没有步行时间的单元及原因', unreachedItem: '{reason}：{units} 个单元，{households} 户', unreachedNone: '每个单元都有步行时间。',
    reason_no_road_within_300m: '300 米内没有道路', reason_island: '附近只有孤立路段', reason_no_station_reachable: '步行到不了任何服务站',
    stationOffNetwork: '服务站 {name} 未接入路网：{reason}',
    noStationChosen: '请先选择服务站。', isochroneDrawn: '已显示 {name} 的等时圈。',
    keyNeeded: '请输入 API 密钥。', keySaved: '已登录：{name}（{role}）。密钥只保存在本浏览器会话中。', keyRefused: '密钥无效或已吊销。', keyCannotEdit: '此密钥的角色是 {role}，不能编辑网格（需要 planner 或 admin）。', chooseCommunity: '请选择社区。',
    proposalSummary: '方案 {id}：{count} 个网格，{feasible}', feasible: '可行', infeasible: '不可行',
    grid: '网格', area: '面积 m²', compactness: '紧凑度', cut: '拆分小区', barriers: '跨越障碍', neighborsShort: '相邻',
    applied: '方案已应用：{community} 的网格已替换。', discarded: '方案已放弃。',
    selectGridFirst: '请先点击一个网格（编辑模式）。', selectedGrid: '已选网格 {name}（版本 {version}）：{households} 户 {range}',
    inRange: '（在范围内）', outOfRange: '（超出 {min}–{max}）', moved: '楼栋 {building}（{hh} 户）已移入 {target}。',
    notContiguous: '注意：网格 {name} 现在由 {parts} 块组成，不连续。',
    conflict: '保存被拒绝：网格 {name} 已被他人修改（现为版本 {version}）。未覆盖对方的修改。{changes}已重新读取最新版本，请重做您的修改。',
    changedFields: '变化：{fields}。', geometryChanged: '边界', restore: '恢复此版本', restored: '网格 {name} 已恢复到版本 {version}。',
    noHistory: '此网格没有历史版本。', historyItem: '版本 {version}：{by}，{at}{reason}', unauthorized: '未登录或密钥无效（{status}）：{detail}',
    noStationReachable: '从此处步行无法到达任何服务站（道路网不连通）。', clickedPoint: '点击位置', noGrid: '此处不在任何网格内。', clickBuilding: '点击楼栋把它移入所选网格。',
    editBoundary: '编辑边界', save: '保存', cancel: '取消', unsaved: '尚未保存：以下是保存后的结果，确认后点“保存”。',
    previewLine: '{name}：{households} 户 {range}，{shape}', contiguous: '连续（单块）', notContiguousShort: '不连续（{parts} 块）',
    boundaryHelp: '拖动白色顶点修改边界，户数随之更新；点“保存”提交。', featureBoundary: '边界编辑',
    boundaryInvalidShort: '边界无效（不会保存）：{reason}', boundaryInvalid: '边界无效，未保存：{reason}。请移动顶点使边界不自相交。',
    boundarySaved: '网格 {name} 的新边界已保存：{households} 户。',
  },
  en: {
    title: 'GridMap', searchPlaceholder: 'Search compounds, grids, stations…', tabLayers: 'Layers', tabStaff: 'Nearest station',
    tabCoverage: 'Coverage', tabPlanner: 'Grid planning', legend: 'Legend',
    staffHelp: 'Click anywhere on the map (or search a compound) for the three nearest stations on foot.',
    coverageLoad: 'Refresh coverage', heatmapShow: 'Show walking-time heatmap', uncovered: 'Compounds outside 15 minutes',
    isochrone: 'Station isochrones', isochroneShow: 'Show isochrones', clear: 'Clear',
    loginHelp: 'Editing needs a planner API key (kept for this browser session).', apiKey: 'API key', login: 'Sign in',
    signedIn: 'Signed in', logout: 'Sign out', splitTitle: 'Automatic grid split', min: 'Min', max: 'Max',
    propose: 'Propose split', apply: 'Apply', discard: 'Discard', editTitle: 'Manual edit',
    editToggle: 'Edit grids: click a grid, then click buildings to move them into it', history: 'History',
    sourceTiles: 'Source: vector tiles', sourceGeoJson: 'Source: GeoJSON (vector tiles not served yet)',
    loading: 'Loading…', noData: 'The database has no data yet.', loadFailed: 'Could not load layer {layer}: {error}',
    notAvailable: '{feature}: this server does not offer it yet ({path} is missing).', serverError: 'Server error {status}: {detail}',
    featureNearest: 'Nearest station', featureCoverage: 'Coverage', featureIsochrone: 'Isochrones', featureHeatmap: 'Heatmap',
    featureNeighbors: 'Neighbour grids (AB post)', featureSplit: 'Grid split', featureHistory: 'Grid history', featureMove: 'Building move',
    minutes: '{n} min', meters: '{n} m', walk: '{min} min walk, {m} m', gridOfPoint: 'Grid here', gridHead: 'Grid head',
    phone: 'Phone', neighbors: 'Neighbour grids (AB post)', none: 'none', name: 'Name', households: 'Households',
    within: 'within {n} min', city: 'City', street: 'Street', community: 'Community',
    uncoveredItem: '{name}: {households} households, {min} min walk', noStationChosen: 'Choose a station first.',
    unreached: 'Units without a walking time, by reason', unreachedItem: '{reason}: {units} units, {households} households',
    unreachedNone: 'Every unit has a walking time.', reason_no_road_within_300m: 'no road within 300 m',
    reason_island: 'only an island road piece nearby', reason_no_station_reachable: 'no station reachable on foot',
    stationOffNetwork: 'Station {name} is off the network: {reason}',
    isochroneDrawn: 'Isochrones of {name} drawn.', keyNeeded: 'Enter an API key.',
    keySaved: 'Signed in: {name} ({role}). The key stays in this browser session only.', keyRefused: 'The key is unknown or revoked.', keyCannotEdit: 'This key has role {role} and cannot edit grids (planner or admin needed).', chooseCommunity: 'Choose a community.',
    proposalSummary: 'Proposal {id}: {count} grids, {feasible}', feasible: 'feasible', infeasible: 'infeasible',
    grid: 'Grid', area: 'Area m²', compactness: 'Compactness', cut: 'Compounds cut', barriers: 'Barriers crossed',
    neighborsShort: 'Neighbours', applied: 'Proposal applied: the grids of {community} were replaced.', discarded: 'Proposal discarded.',
    selectGridFirst: 'Click a grid first (edit mode).', selectedGrid: 'Selected grid {name} (version {version}): {households} households {range}',
    inRange: '(in range)', outOfRange: '(outside {min}–{max})', moved: 'Building {building} ({hh} households) moved into {target}.',
    notContiguous: 'Note: grid {name} now has {parts} separate parts.',
    conflict: 'Save refused: grid {name} was changed by someone else (now version {version}). Their change was not overwritten. {changes}The latest version is loaded now; redo your edit.',
    changedFields: 'Changed: {fields}. ', geometryChanged: 'boundary', restore: 'Restore this version',
    restored: 'Grid {name} restored to version {version}.', noHistory: 'This grid has no earlier versions.',
    historyItem: 'Version {version}: {by}, {at}{reason}', unauthorized: 'Not signed in or key refused ({status}): {detail}',
    noStationReachable: 'No station can be reached on foot from here (the walking network is not connected).', clickedPoint: 'Clicked point', noGrid: 'This point is in no grid.', clickBuilding: 'Click buildings to move them into the selected grid.',
    editBoundary: 'Edit boundary', save: 'Save', cancel: 'Cancel', unsaved: 'Not saved yet: this is the result after saving; press Save to keep it.',
    previewLine: '{name}: {households} households {range}, {shape}', contiguous: 'contiguous (one part)', notContiguousShort: 'not contiguous ({parts} parts)',
    boundaryHelp: 'Drag the white vertices to change the boundary; the total updates as you go. Save sends it.', featureBoundary: 'Boundary editing',
    boundaryInvalidShort: 'Invalid boundary (will not be saved): {reason}', boundaryInvalid: 'Invalid boundary, not saved: {reason}. Move the vertices so the boundary does not cross itself.',
    boundarySaved: 'New boundary of grid {name} saved: {households} households.',
  },
};

let language = new URLSearchParams(location.search).get('lang') || localStorage.getItem('gridmap.lang') || 'zh';
if (!dictionary[language]) language = 'zh';

export function currentLanguage() { return language; }

export function t(key, vars = {}) {
  const text = dictionary[language][key] ?? dictionary.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] ?? `{${name}}`));
}

const listeners = [];
export function onLanguageChange(listener) { listeners.push(listener); }

export function applyLanguage() {
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  for (const element of document.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  for (const element of document.querySelectorAll('[data-i18n-placeholder]')) element.placeholder = t(element.dataset.i18nPlaceholder);
  document.title = t('title');
  document.getElementById('lang').textContent = language === 'zh' ? 'EN' : '中文';
}

export function toggleLanguage() {
  language = language === 'zh' ? 'en' : 'zh';
  localStorage.setItem('gridmap.lang', language);
  applyLanguage();
  for (const listener of listeners) listener(language);
}
