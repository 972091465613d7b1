/* The interactive evidence map. Reads its data from #evmap-data; writes text only through
   textContent, so nothing in the data is ever parsed as HTML. No network, no libraries. */
(function () {
  "use strict";
  var root = document.getElementById("evmap");
  var data = JSON.parse(document.getElementById("evmap-data").textContent);
  var T = data.texts;
  var COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
  var SVGNS = "http://www.w3.org/2000/svg";
  var studies = {};
  data.studies.forEach(function (s) { studies[s.id] = s; });
  var years = data.studies.map(function (s) { return s.year; }).filter(function (y) { return y !== null; });
  var yearLo = years.length ? Math.min.apply(null, years) : null;
  var yearHi = years.length ? Math.max.apply(null, years) : null;
  var state = { selected: {}, from: yearLo, to: yearHi, split: "", open: null };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function passes(s) {
    for (var col in state.selected) {
      var chosen = state.selected[col];
      if (chosen.length === 0) { continue; }
      var has = s.values[col] || [];
      if (!has.some(function (v) { return chosen.indexOf(v) >= 0; })) { return false; }
    }
    var narrowed = state.from !== yearLo || state.to !== yearHi;
    if (narrowed) {
      if (s.year === null) { return false; }
      if (state.from !== null && s.year < state.from) { return false; }
      if (state.to !== null && s.year > state.to) { return false; }
    }
    return true;
  }

  function cellStudies(rowId, colId) {
    var seen = {}, out = [];
    data.cells.forEach(function (c) {
      if (c.row === rowId && c.col === colId && !seen[c.study] && passes(studies[c.study])) {
        seen[c.study] = true;
        out.push(c);
      }
    });
    return out;
  }

  function variable(column) {
    return data.variables.filter(function (v) { return v.column === column; })[0];
  }

  /* --- controls ------------------------------------------------------------------------- */
  var controls = el("div", "evmap-controls");
  controls.appendChild(el("h4", null, T.filters));
  data.variables.forEach(function (v) {
    state.selected[v.column] = [];
    var box = el("fieldset", "evmap-filter");
    box.setAttribute("data-column", v.column);
    box.appendChild(el("legend", null, v.label));
    v.values.forEach(function (val) {
      var lab = el("label");
      var cb = el("input");
      cb.type = "checkbox";
      cb.value = val.id;
      cb.setAttribute("data-column", v.column);
      cb.addEventListener("change", function () {
        var list = state.selected[v.column];
        var i = list.indexOf(val.id);
        if (cb.checked && i < 0) { list.push(val.id); }
        if (!cb.checked && i >= 0) { list.splice(i, 1); }
        draw();
      });
      lab.appendChild(cb);
      lab.appendChild(document.createTextNode(" " + val.label));
      box.appendChild(lab);
    });
    controls.appendChild(box);
  });
  if (yearLo !== null) {
    var yb = el("fieldset", "evmap-years");
    yb.appendChild(el("legend", null, T.year));
    [["from", yearLo], ["to", yearHi]].forEach(function (pair) {
      var lab = el("label", null, T[pair[0]] + " ");
      var inp = el("input");
      inp.type = "number";
      inp.min = yearLo; inp.max = yearHi; inp.value = pair[1];
      inp.className = "evmap-year-" + pair[0];
      inp.addEventListener("input", function () {
        var n = parseInt(inp.value, 10);
        state[pair[0]] = isNaN(n) ? (pair[0] === "from" ? yearLo : yearHi) : n;
        draw();
      });
      lab.appendChild(inp);
      yb.appendChild(lab);
    });
    controls.appendChild(yb);
  }
  var splitBox = el("label", "evmap-split", T.split + " ");
  var split = el("select");
  split.className = "evmap-split-select";
  var none = el("option", null, T.none); none.value = ""; split.appendChild(none);
  data.variables.forEach(function (v) {
    var o = el("option", null, v.label); o.value = v.column; split.appendChild(o);
  });
  split.addEventListener("change", function () { state.split = split.value; draw(); });
  splitBox.appendChild(split);
  controls.appendChild(splitBox);
  var reset = el("button", "evmap-reset", T.reset);
  reset.type = "button";
  reset.addEventListener("click", function () {
    controls.querySelectorAll("input[type=checkbox]").forEach(function (cb) { cb.checked = false; });
    data.variables.forEach(function (v) { state.selected[v.column] = []; });
    state.from = yearLo; state.to = yearHi;
    controls.querySelectorAll("input[type=number]").forEach(function (inp) {
      inp.value = inp.className.indexOf("from") >= 0 ? yearLo : yearHi;
    });
    draw();
  });
  controls.appendChild(reset);
  var summary = el("p", "evmap-summary");
  controls.appendChild(summary);

  var grid = el("div", "evmap-grid");
  var legend = el("div", "evmap-legend");
  var panel = el("div", "evmap-panel");
  root.appendChild(controls);
  var main = el("div", "evmap-main");
  main.appendChild(grid);
  main.appendChild(legend);
  main.appendChild(panel);
  root.appendChild(main);

  /* --- drawing ------------------------------------------------------------------------- */
  function bubble(counts, max) {
    var svg = document.createElementNS(SVGNS, "svg");
    var R = 22, n = counts.length, w = Math.max(2 * R + 4, n * (2 * R * 0.75) + 4);
    svg.setAttribute("width", w); svg.setAttribute("height", 2 * R + 4);
    var x = 2;
    counts.forEach(function (c) {
      if (c.n === 0) { return; }
      var r = Math.max(3, R * Math.sqrt(c.n / max)) * (n > 1 ? 0.75 : 1);
      var circle = document.createElementNS(SVGNS, "circle");
      circle.setAttribute("cx", x + r); circle.setAttribute("cy", R + 2); circle.setAttribute("r", r);
      circle.setAttribute("fill", c.colour); circle.setAttribute("fill-opacity", "0.8");
      var title = document.createElementNS(SVGNS, "title");
      title.textContent = c.label + ": " + c.n;
      circle.appendChild(title);
      svg.appendChild(circle);
      x += 2 * r + 2;
    });
    return svg;
  }

  function draw() {
    var shown = data.studies.filter(passes).length;
    summary.textContent = shown + " " + T.of + " " + data.studies.length + " " + T.shown;
    var counts = {}, max = 1;
    data.rows.forEach(function (r) {
      data.cols.forEach(function (c) {
        var n = cellStudies(r.id, c.id).length;
        counts[r.id + "\u0000" + c.id] = n;
        if (n > max) { max = n; }
      });
    });
    grid.textContent = "";
    var table = el("table", "evmap-table");
    var head = el("tr");
    head.appendChild(el("th", "evmap-corner", data.rowTitle + " \u00d7 " + data.colTitle));
    data.cols.forEach(function (c) { head.appendChild(el("th", "evmap-col", c.label)); });
    table.appendChild(head);
    var sv = state.split ? variable(state.split) : null;
    data.rows.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("th", "evmap-row", r.label));
      data.cols.forEach(function (c) {
        var n = counts[r.id + "\u0000" + c.id];
        var td = el("td", "evmap-cell");
        td.setAttribute("data-row", r.id);
        td.setAttribute("data-col", c.id);
        td.setAttribute("data-count", n);
        td.tabIndex = 0;
        var parts;
        if (sv) {
          var members = cellStudies(r.id, c.id);
          parts = sv.values.map(function (val, i) {
            return { label: val.label, colour: COLOURS[i % COLOURS.length],
              n: members.filter(function (m) { return (studies[m.study].values[sv.column] || []).indexOf(val.id) >= 0; }).length };
          });
        } else {
          parts = [{ label: r.label + " \u00d7 " + c.label, colour: COLOURS[0], n: n }];
        }
        if (n > 0) { td.appendChild(bubble(parts, max)); }
        td.appendChild(el("span", "evmap-n", n));
        function open() { state.open = [r.id, c.id]; showPanel(); }
        td.addEventListener("click", open);
        td.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(); } });
        tr.appendChild(td);
      });
      table.appendChild(tr);
    });
    grid.appendChild(table);
    legend.textContent = "";
    if (sv) {
      sv.values.forEach(function (val, i) {
        var item = el("span", "evmap-key");
        var sw = el("span", "evmap-swatch");
        sw.style.background = COLOURS[i % COLOURS.length];
        item.appendChild(sw);
        item.appendChild(document.createTextNode(" " + val.label));
        legend.appendChild(item);
      });
    }
    showPanel();
  }

  function label(list, id) {
    var hit = list.filter(function (x) { return x.id === id; })[0];
    return hit ? hit.label : id;
  }

  function showPanel() {
    panel.textContent = "";
    if (!state.open) { panel.appendChild(el("p", "evmap-hint", T.pick_cell)); return; }
    var members = cellStudies(state.open[0], state.open[1]);
    panel.appendChild(el("h4", null, T.in_cell + ": " + label(data.rows, state.open[0]) + " \u00d7 " +
      label(data.cols, state.open[1]) + " (" + members.length + " " + T.studies + ")"));
    if (!members.length) { panel.appendChild(el("p", null, T.no_studies)); return; }
    var list = el("ol", "evmap-studies");
    members.sort(function (a, b) { return studies[a.study].label.localeCompare(studies[b.study].label, data.lang); });
    members.forEach(function (m) {
      var li = el("li", "evmap-study");
      li.setAttribute("data-study", m.study);
      li.appendChild(el("b", null, studies[m.study].label));
      if (m.finding) { li.appendChild(el("p", "evmap-finding", m.finding)); }
      if (m.where) { li.appendChild(el("p", "evmap-where", T.where + ": " + m.where)); }
      list.appendChild(li);
    });
    panel.appendChild(list);
  }

  draw();
})();
