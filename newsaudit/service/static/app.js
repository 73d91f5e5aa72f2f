// newsaudit web page: sends the article to POST /v1/analyze and draws the report.
// Offsets in the report count Unicode code points (Python str indices), so the
// text is split with Array.from, never indexed as UTF-16.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const LAYERS = [
    ["hl-content", "quoted or reported content"],
    ["hl-source", "source"],
    ["hl-cue", "cue (says, according to, :)"],
    ["hl-signal-scare_quote", "scare quote"],
    ["hl-signal-hedge", "hedge"],
    ["hl-signal-loaded", "loaded word"],
    ["hl-signal-label", "label"],
    ["hl-technique", "propaganda technique"],
  ];

  // Characters that reorder or hide the text around them (bidi controls, zero-width space, word joiner,
  // byte-order mark) are written out visibly, never applied: a headline cannot be made to read backwards.
  const CONTROLS = /[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;
  const visible = (s) => String(s).replace(CONTROLS,
    (c) => "⟨U+" + c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0") + "⟩");

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === "className") node.className = v;
      else if (k === "text") node.textContent = visible(v);
      else node.setAttribute(k, v);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(visible(String(child))));
    }
    return node;
  }

  function setStatus(message, isError) {
    const s = $("status");
    s.textContent = message;
    s.className = isError ? "error" : "";
  }

  async function submit(event) {
    event.preventDefault();
    const headers = {};
    const token = $("token").value.trim();
    if (token) headers["Authorization"] = "Bearer " + token;
    let body;
    const file = $("file").files[0];
    if (file) {
      body = new FormData();
      body.append("file", file, file.name);
    } else {
      const text = $("body").value;
      if (!text.trim()) { setStatus("Paste an article or choose a file first.", true); return; }
      const payload = { headline: $("headline").value, body: text };
      if ($("date").value.trim()) payload.date = $("date").value.trim();
      if ($("outlet").value.trim()) payload.outlet = $("outlet").value.trim();
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(payload);
    }
    $("analyze").disabled = true;
    setStatus("Analysing…");
    try {
      const resp = await fetch("/v1/analyze", { method: "POST", headers, body });
      let data = null;
      try { data = await resp.json(); } catch (e) { data = null; }
      if (!resp.ok) {
        const detail = data && data.detail ? (typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail)) : resp.statusText;
        setStatus(`Error ${resp.status}: ${detail}`, true);
        return;
      }
      draw(data);
      setStatus("Done.");
    } catch (e) {
      setStatus("Request failed: " + e, true);
    } finally {
      $("analyze").disabled = false;
    }
  }

  // ---------------------------------------------------------------- drawing

  function draw(report) {
    window.newsauditReport = report;
    $("result").hidden = false;
    drawHeadlineCheck(report);
    drawLegend();
    drawArticle(report);
    drawSources(report);
    drawRelay(report);
    drawSignals(report);
    drawTechniques(report);
    drawSummary(report);
    const blob = new Blob([JSON.stringify(report, null, 2)], { type: "application/json" });
    $("download").href = URL.createObjectURL(blob);
  }

  function drawHeadlineCheck(report) {
    const box = $("headline-check");
    box.replaceChildren();
    const hc = report.headline_check;
    const title = report.article.headline || "(no headline)";
    if (!hc) {
      box.append(el("span", { className: "verdict verdict-none", id: "verdict", "data-verdict": "none", text: "no headline check" }),
        el("strong", { text: title }));
      return;
    }
    box.append(
      el("span", { className: `verdict verdict-${hc.verdict}`, id: "verdict", "data-verdict": hc.verdict,
        text: hc.verdict.replace(/-/g, " ") }),
      el("strong", { text: title }),
      el("div", { className: "why", text: `${hc.reason || ""} (score ${hc.score})` }),
    );
    if (hc.concern) {  // schema 1.2: how much the verdict should worry a reader, and why
      const concern = el("div", { className: `concern concern-${hc.concern}`, id: "concern", "data-concern": hc.concern },
        el("strong", { text: `Concern: ${hc.concern}` }));
      const reasons = hc.concern_reasons || [];
      if (reasons.length) concern.append(el("ul", {}, ...reasons.map((r) => el("li", { text: r }))));
      box.append(concern);
    }
    if (hc.stance) {  // schema 1.2: the body's stance towards the headline (agree/disagree/discuss/unrelated)
      const probs = Object.entries(hc.stance.probs || {}).map(([k, v]) => `${k} ${Number(v).toFixed(2)}`).join(", ");
      const stance = el("div", { className: `stance stance-${hc.stance.label}`, id: "stance", "data-stance": hc.stance.label },
        el("strong", { text: `Stance of the body: ${hc.stance.label}` }), ` (${probs})`);
      const passages = hc.stance.passages || [];
      if (passages.length) stance.append(el("ul", {}, ...passages.map((p) => el("li", { text: `decided by: “${p.text}”` }))));
      box.append(stance);
    }
    const cueWords = (reading) => {  // schema 2.0: the words that decided a modality reading
      const words = [...new Set((reading.cues || []).map((c) => c.text))];
      return words.length ? ` (${words.join(", ")})` : "";
    };
    if (hc.headline_modality) {
      box.append(el("div", { className: "why modality", "data-modality": hc.headline_modality.label },
        `the headline: ${hc.headline_modality.label}${cueWords(hc.headline_modality)}`));
    }
    for (const m of hc.matches || []) {
      const target = m.attribution_id ? `#att-${m.attribution_id}` : null;
      const line = el("div", { className: "why" }, "matches: ");
      line.append(target ? el("a", { href: target, text: `“${m.span.text}”` }) : `“${m.span.text}”`);
      if (m.source) line.append(` — ${m.source}`);
      if (m.modality) line.append(` [${m.modality.label}${cueWords(m.modality)}]`);
      box.append(line);
    }
    for (const d of hc.denials || []) {
      box.append(el("div", { className: "why denial" }, `denied by ${d.source || "the article itself"}: “${d.span.text}”`));
    }
  }

  function drawLegend() {
    const legend = $("legend");
    legend.replaceChildren();
    for (const [cls, label] of LAYERS) legend.append(el("span", { className: `key hl ${cls}`, text: label }));
  }

  function annotations(report) {
    const out = [];
    const sourceName = {};
    for (const s of report.sources || []) sourceName[s.id] = s.name;
    for (const a of report.attributions || []) {
      const who = a.source_id && sourceName[a.source_id] ? sourceName[a.source_id] : (a.source ? a.source.text : "unknown source");
      out.push({ span: a.content, cls: "hl-content", title: `${a.kind} attribution to ${who}`, att: a.id, src: a.source_id, first: true });
      if (a.source) out.push({ span: a.source, cls: "hl-source", title: `source: ${who}`, att: a.id, src: a.source_id });
      if (a.cue) out.push({ span: a.cue, cls: "hl-cue", title: `cue (${a.rule || a.kind})`, att: a.id, src: a.source_id });
    }
    for (const s of report.sources || []) {
      for (const m of s.mentions || []) out.push({ span: m, cls: "hl-source", title: `source: ${s.name} (${s.role}, ${s.identity})`, src: s.id });
    }
    for (const s of report.signals || []) out.push({ span: s.span, cls: `hl-signal-${s.kind}`, title: `${s.kind}: ${s.reason}` });
    for (const t of report.techniques || []) out.push({ span: { start: t.start, end: t.end }, cls: "hl-technique", title: `${t.technique} (${t.score})${t.reason ? ": " + t.reason : ""}` });
    return out.filter((a) => a.span && a.span.end > a.span.start);
  }

  function drawArticle(report) {
    const box = $("article-text");
    box.replaceChildren();
    const chars = Array.from(report.article.text || "");
    const anns = annotations(report);
    const sourceNames = {};
    for (const s of report.sources || []) sourceNames[s.id] = s.name;
    const cuts = new Set([0, chars.length]);
    for (const a of anns) { cuts.add(Math.max(0, Math.min(chars.length, a.span.start))); cuts.add(Math.max(0, Math.min(chars.length, a.span.end))); }
    const points = [...cuts].sort((x, y) => x - y);
    const anchored = new Set();
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, b] = [points[i], points[i + 1]];
      const text = chars.slice(a, b).join("");
      const covering = anns.filter((x) => x.span.start <= a && b <= x.span.end);
      if (!covering.length) { box.append(text); continue; }
      const classes = new Set(["hl"]);
      const titles = [];
      let att = null, src = null;
      for (const c of covering) {
        classes.add(c.cls);
        if (!titles.includes(c.title)) titles.push(c.title);
        if (c.att && !att) att = c.att;
        if (c.src && !src) src = c.src;
      }
      const span = el("span", { className: [...classes].join(" "), title: titles.join("\n"), "data-start": a, "data-end": b, "data-att": att, "data-src": src }, text);
      if (att && !anchored.has(att) && classes.has("hl-content")) { span.id = `att-${att}`; anchored.add(att); }
      span.addEventListener("click", () => link(att, src));
      box.append(span);
      // After the last piece of an attribution's content: a link to its source.
      for (const c of covering) {
        if (c.cls === "hl-content" && c.span.end === b && c.src) {
          const name = sourceNames[c.src] || c.src;
          box.append(el("a", { className: "src-link", href: `#source-${c.src}`, title: `go to the source: ${name}`, "data-att": c.att,
            text: "→ " + (name.length > 24 ? name.slice(0, 23) + "…" : name) }));
        }
      }
    }
  }

  function link(att, src) {
    document.querySelectorAll(".linked").forEach((n) => n.classList.remove("linked"));
    if (att) document.querySelectorAll(`[data-att="${CSS.escape(att)}"]`).forEach((n) => n.classList.add("linked"));
    if (src) {
      document.querySelectorAll(`.hl[data-src="${CSS.escape(src)}"]`).forEach((n) => n.classList.add("linked"));
      const item = $(`source-${src}`);
      if (item) item.classList.add("linked");
    }
  }

  function drawSources(report) {
    const list = $("sources");
    list.replaceChildren();
    for (const s of report.sources || []) {
      const named = s.identity === "named";
      const li = el("li", { id: `source-${s.id}` },
        el("strong", { className: named ? "" : "anon", text: s.name }),
        el("span", { className: "type", text: `${s.role}, ${s.identity}` }));
      const byId = Object.fromEntries((report.sources || []).map((x) => [x.id, x.name]));
      if (s.speaks_for) li.append(el("div", { className: "why", text: `speaks for ${byId[s.speaks_for] || s.speaks_for}` }));
      if (s.cited_by) li.append(el("div", { className: "why", text: `known through ${byId[s.cited_by] || s.cited_by}` }));
      for (const n of s.non_answers || []) li.append(el("div", { className: "why", text: `declined to answer: “${n.text}”` }));
      if ((s.sums_up || []).length) {
        li.append(el("div", { className: "why", text: `sums up ${s.sums_up.map((id) => byId[id] || id).join(", ")} (no voice of its own)` }));
      }
      if (s.reason) li.append(el("div", { className: "why", text: s.reason }));
      const quotes = el("div", { className: "why" });
      (s.attribution_ids || []).forEach((id, i) => {
        if (i) quotes.append(", ");
        quotes.append(el("a", { href: `#att-${id}`, text: `quote ${id}` }));
      });
      if ((s.attribution_ids || []).length) li.append(quotes);
      li.addEventListener("click", () => link(null, s.id));
      list.append(li);
    }
    if (!list.children.length) list.append(el("li", { className: "why", text: "no sources found" }));
  }

  function relayTree(node) {
    const label = el("span", null, el("strong", { text: node.name }), el("span", { className: "type", text: node.role }));
    for (const v of node.voices || []) label.append(el("span", { className: "type", text: `voice: ${v.name}` }));
    const li = el("li", null, node.source_id ? el("a", { href: `#source-${node.source_id}` }, label) : label);
    const kids = [...(node.children || []), ...(node.voices || []).flatMap((v) => v.children || [])];
    if (kids.length) {
      const ul = el("ul");
      for (const child of kids) ul.append(relayTree(child));
      li.append(ul);
    }
    return li;
  }

  function drawRelay(report) {
    const box = $("relay");
    box.replaceChildren();
    box.className = "relay";
    const chains = report.relay_chains || [];
    if (!chains.length) { box.append(el("p", { className: "why", text: "no relay chain" })); return; }
    const ul = el("ul");
    for (const chain of chains) ul.append(relayTree(chain));
    box.append(ul);
  }

  function drawSignals(report) {
    const list = $("signals");
    list.replaceChildren();
    for (const s of report.signals || []) {
      list.append(el("li", null, el("span", { className: `hl hl-signal-${s.kind}`, text: s.span.text }), " ",
        el("span", { className: "type", text: s.kind }), el("div", { className: "why", text: s.reason })));
    }
    if (!list.children.length) list.append(el("li", { className: "why", text: "none" }));
  }

  function drawTechniques(report) {
    const list = $("techniques");
    list.replaceChildren();
    for (const t of report.techniques || []) {
      const item = el("li", null, el("span", { className: "hl hl-technique", text: t.text }), " ",
        el("span", { className: "type", text: `${t.technique} ${t.score}` }));
      if (t.reason) item.append(el("div", { className: "why", text: t.reason }));
      list.append(item);
    }
    if (!list.children.length) list.append(el("li", { className: "why", text: "none (or not run)" }));
  }

  // A summary value as a reader writes it: "7 indirect, 5 mixed, 3 direct", a list of names, or a number.
  function summaryText(v) {
    if (Array.isArray(v)) return v.length ? v.join(", ") : "none";
    if (v !== null && typeof v === "object") {
      const parts = Object.entries(v).sort((a, b) => b[1] - a[1]).map(([name, n]) => `${n} ${name.replace(/_/g, " ")}`);
      return parts.length ? parts.join(", ") : "none";
    }
    return String(v).replace(/_/g, " ");
  }

  function drawSummary(report) {
    const dl = $("summary");
    dl.replaceChildren();
    for (const [k, v] of Object.entries(report.summary || {})) {
      dl.append(el("dt", { text: k.replace(/_/g, " ") }), el("dd", { text: summaryText(v) }));
    }
  }

  window.newsauditDraw = draw;
  $("input-form").addEventListener("submit", submit);
})();
