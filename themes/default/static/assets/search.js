// Site search in the browser: the same tokens as the build (CJK bigrams, lower-case Latin words
// and their runs of letters and of digits), loads only the index shards of the query's tokens
// and the document chunks of its results. A lone CJK character stands for every token that
// begins with it: the build puts those in the character's shard. A shard maps each token to its
// documents' numbers, ascending and delta-encoded (the first number, then the gap to each next
// one): gaps are short to send, and sums are cheap here.
(function () {
  var form = document.getElementById('search-form');
  if (!form) return;
  var base = form.getAttribute('data-base') || '/';
  var input = document.getElementById('search-query');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var meta = null, shards = {}, chunks = {};
  function isCjk(c) { var n = c.codePointAt(0); return (n >= 0x3400 && n <= 0x4dbf) || (n >= 0x4e00 && n <= 0x9fff) || (n >= 0xf900 && n <= 0xfaff); }
  function isWordChar(c) { return /[A-Za-z0-9]/.test(c); }
  function tokens(text) {
    var out = {}, run = [], word = '';
    function flushRun() { if (run.length === 1) out[run[0]] = 1; for (var i = 0; i + 1 < run.length; i++) out[run[i] + run[i + 1]] = 1; run = []; }
    function flushWord() {
      var w = word.replace(/^\.+|\.+$/g, '');
      if (w) {
        out[w] = 1;
        var parts = w.match(/[a-z][a-z.]*|[0-9][0-9.]*/g) || [];
        if (parts.length > 1) parts.forEach(function (p) { out[p.replace(/\.+$/, '')] = 1; });
      }
      word = '';
    }
    Array.from(text).forEach(function (c) {
      if (isCjk(c)) { flushWord(); run.push(c); }
      else if (isWordChar(c) || (c === '.' && word)) { flushRun(); word += c.toLowerCase(); }
      else { flushRun(); flushWord(); }
    });
    flushRun(); flushWord();
    return Object.keys(out);
  }
  function isLone(token) { return token.length === 1 && isCjk(token); }
  function shardOf(token) {
    var first = Array.from(token)[0], key = isCjk(first) ? first : token;
    var bytes = new TextEncoder().encode(key), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h % meta.shards;
  }
  function postings(s, t) {
    var at = 0;
    return Object.prototype.hasOwnProperty.call(s, t) ? s[t].map(function (gap) { return at += gap; }) : [];
  }
  // A lone character's documents: those of every token of its shard that begins with it.
  function lonePostings(s, c) {
    var seen = {};
    Object.keys(s).forEach(function (t) { if (t.charAt(0) === c) postings(s, t).forEach(function (d) { seen[d] = 1; }); });
    return Object.keys(seen).map(Number).sort(function (a, b) { return a - b; });
  }
  // Both lists ascending: one pass over each.
  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] < b[j]) i++; else if (a[i] > b[j]) j++; else { out.push(a[i]); i++; j++; }
    }
    return out;
  }
  function json(path) { return fetch(base + path).then(function (r) { if (!r.ok) throw new Error(path); return r.json(); }); }
  function shard(n) { return shards[n] || (shards[n] = json('search/index/' + n + '.json')); }
  function chunk(n) { return chunks[n] || (chunks[n] = json('search/docs/' + n + '.json')); }
  function passage(text, terms) {
    var lower = text.toLowerCase(), at = -1;
    terms.forEach(function (t) { var i = lower.indexOf(t); if (i >= 0 && (at < 0 || i < at)) at = i; });
    var start = Math.max(0, at - 40), piece = text.slice(start, start + 120);
    return (start > 0 ? '…' : '') + piece + (start + 120 < text.length ? '…' : '');
  }
  // The text into `into`, each query word in it marked: a result shows why it matched.
  function marked(into, text, terms) {
    var lower = text.toLowerCase(), i = 0;
    while (i < text.length) {
      var next = -1, len = 0;
      terms.forEach(function (t) { var j = lower.indexOf(t, i); if (j >= 0 && (next < 0 || j < next)) { next = j; len = t.length; } });
      if (next < 0) { into.append(text.slice(i)); break; }
      into.append(text.slice(i, next));
      var m = document.createElement('mark'); m.textContent = text.slice(next, next + len); into.append(m);
      i = next + len;
    }
    return into;
  }
  function show(message) { status.textContent = message; }
  function search(query) {
    list.textContent = '';
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    var toks = tokens(query);
    if (!toks.length) { show('请输入要查找的词语。'); return; }
    show('正在搜索…');
    (meta ? Promise.resolve(meta) : json('search/meta.json').then(function (m) { meta = m; return m; }))
      .then(function () { return Promise.all(toks.map(function (t) { return shard(shardOf(t)).then(function (s) { return isLone(t) ? lonePostings(s, t) : postings(s, t); }); })); })
      .then(function (lists) {
        var ids = lists.reduce(intersect);
        ids = ids.slice(0, 200);
        return Promise.all(ids.map(function (id) { return chunk(Math.floor(id / meta.chunk)).then(function (c) { return c[id % meta.chunk]; }); }));
      })
      .then(function (docs) {
        var hits = docs.filter(function (d) { var all = (d.title + ' ' + d.text).toLowerCase(); return terms.every(function (t) { return all.indexOf(t) >= 0; }); });
        // Pages whose title has every word first (the site's order kept within each group):
        // what a reader named is most likely what they look for.
        function inTitle(d) { var t = d.title.toLowerCase(); return terms.every(function (w) { return t.indexOf(w) >= 0; }) ? 0 : 1; }
        hits = hits.map(function (d, i) { return [inTitle(d), i, d]; }).sort(function (x, y) { return x[0] - y[0] || x[1] - y[1]; }).map(function (x) { return x[2]; });
        if (!hits.length) { show('没有找到包含“' + query + '”的页面。可以换一个词，或浏览各栏目。'); return; }
        show('找到 ' + hits.length + ' 个包含“' + query + '”的页面。');
        hits.forEach(function (d) {
          var li = document.createElement('li'), h = document.createElement('h2'), a = document.createElement('a'), s = document.createElement('p');
          a.href = d.url; marked(a, d.title, terms); h.append(a);
          s.className = 'card-meta'; s.textContent = d.section;
          li.className = 'card'; li.append(h, s, marked(document.createElement('p'), passage(d.text, terms), terms));
          list.append(li);
        });
      })
      .catch(function () { show('搜索索引加载失败，请稍后再试。'); });
  }
  var q = new URLSearchParams(location.search).get('q');
  if (q) { input.value = q; search(q); }
  form.addEventListener('submit', function (e) { e.preventDefault(); var v = input.value.trim(); history.replaceState(null, '', '?q=' + encodeURIComponent(v)); search(v); });
})();
