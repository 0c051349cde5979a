// mlhood explorer: controls built from the page's JSON schema, state kept in the URL,
// charts drawn with Plotly.js from the JSON answered by /api/labs/{id}.
"use strict";
(function () {
  const PAGE = JSON.parse(document.getElementById("page-data").textContent);
  const PROPS = PAGE.schema.properties;
  const MISTAKES = Object.fromEntries(PAGE.mistakes.map((m) => [m.id, m]));
  const inputs = {};
  const status = document.getElementById("status");
  let pending = null;
  let timer = null;
  let claimsShown = null;
  let claimsRequest = null;
  let claimsTimer = null;
  window.explorer = { updates: 0, data: null, claims: null };

  function choicesOf(spec) {
    if (spec.enum) return spec.enum;
    if (spec.const !== undefined) return [spec.const];
    return null;
  }

  function label(value, name) {
    if (name === "mistake") return value === "" ? "none (the correct code)" : value;
    return String(value);
  }

  function shown(input) {
    return input.type === "checkbox" ? String(input.checked) : input.value;
  }

  function setValue(input, value) {
    if (input.type === "checkbox") input.checked = String(value) === "true";
    else input.value = String(value);
  }

  function buildControls() {
    const form = document.getElementById("controls");
    const query = new URLSearchParams(location.search);
    const last = ["seed", "mistake"];
    const names = Object.keys(PROPS).filter((n) => !last.includes(n));
    names.push(...last.filter((n) => n in PROPS));
    for (const name of names) {
      const spec = PROPS[name];
      const wrap = document.createElement("div");
      wrap.className = "control";
      const title = document.createElement("label");
      title.className = "name";
      title.textContent = name.replaceAll("_", " ");
      title.htmlFor = "control-" + name;
      const out = document.createElement("output");
      let input;
      const choices = choicesOf(spec);
      if (choices) {
        input = document.createElement("select");
        for (const c of choices) {
          const option = document.createElement("option");
          option.value = c;
          option.textContent = label(c, name);
          input.appendChild(option);
        }
        input.disabled = choices.length < 2;
      } else if (spec.type === "boolean") {
        input = document.createElement("input");
        input.type = "checkbox";
      } else {
        input = document.createElement("input");
        input.type = "range";
        input.min = spec.minimum;
        input.max = spec.maximum;
        input.step = spec.step || (spec.type === "integer" ? 1 : "any");
      }
      input.name = name;
      input.id = "control-" + name;
      input.dataset.kind = choices ? "choice" : spec.type;
      setValue(input, query.has(name) ? query.get(name) : spec.default);
      const help = document.createElement("small");
      help.textContent = spec.description || "";
      const update = () => {
        out.textContent = input.type === "range" ? input.value : "";
      };
      input.addEventListener("input", () => {
        update();
        schedule(150);
      });
      input.addEventListener("change", () => {
        update();
        schedule(0);
      });
      update();
      wrap.append(title, input, out, help);
      form.appendChild(wrap);
      inputs[name] = input;
    }
  }

  function queryString() {
    const query = new URLSearchParams();
    for (const [name, input] of Object.entries(inputs)) query.set(name, shown(input));
    return query.toString();
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(refresh, delay);
  }

  async function refresh() {
    const qs = queryString();
    history.replaceState(null, "", "?" + qs);
    if (pending) pending.abort();
    const request = new AbortController();
    pending = request;
    status.textContent = "computing…";
    status.className = "status busy";
    try {
      const response = await fetch(`/api/labs/${PAGE.id}?${qs}`, { signal: request.signal });
      const data = await response.json();
      if (request !== pending) return;
      if (!response.ok) {
        status.textContent = data.message || data.detail || `error ${response.status}`;
        status.className = "status error";
        return;
      }
      render(data);
      status.textContent = "up to date";
      status.className = "status";
      window.explorer.data = data;
      window.explorer.updates += 1;
      document.body.dataset.updates = String(window.explorer.updates);
    } catch (error) {
      if (error.name !== "AbortError") {
        status.textContent = "the server did not answer: " + error.message;
        status.className = "status error";
      }
    }
    clearTimeout(claimsTimer);
    claimsTimer = setTimeout(refreshClaims, 600);
  }

  function layoutOf(chart) {
    return Object.assign(
      {
        margin: { l: 56, r: 12, t: 8, b: 48 },
        height: 300,
        autosize: true,
        hovermode: "closest",
        legend: { orientation: "h", y: -0.3 },
        font: { size: 12 },
      },
      chart.layout,
    );
  }

  function hoodButtons(names) {
    const box = document.createElement("div");
    box.className = "hood-links";
    box.append("Open the hood: ");
    for (const name of names) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "hood-link";
      button.textContent = name.replace(/^mlhood\./, "");
      button.title = name;
      button.addEventListener("click", () => openHood(name));
      box.appendChild(button);
    }
    return box;
  }

  function render(data) {
    const box = document.getElementById("charts");
    for (const chart of data.charts) {
      let card = document.getElementById("card-" + chart.id);
      if (!card) {
        card = document.createElement("figure");
        card.id = "card-" + chart.id;
        card.className = "card";
        const caption = document.createElement("figcaption");
        const plot = document.createElement("div");
        plot.className = "plot";
        plot.id = "plot-" + chart.id;
        card.append(caption, plot, document.createElement("div"));
        box.appendChild(card);
      }
      card.children[0].textContent = chart.title;
      card.children[2].replaceWith(hoodButtons(chart.sources));
      Plotly.react(card.children[1], chart.traces, layoutOf(chart), {
        responsive: true,
        displaylogo: false,
      });
    }
    const table = document.getElementById("numbers");
    table.replaceChildren();
    for (const [name, value] of Object.entries(data.numbers)) {
      const row = table.insertRow();
      row.insertCell().textContent = name;
      row.insertCell().textContent =
        typeof value === "number" ? Number(value.toPrecision(4)).toString() : String(value);
    }
    const notes = document.getElementById("notes");
    notes.replaceChildren(...data.notes.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
    const info = document.getElementById("mistake-info");
    const mistake = MISTAKES[data.mistake];
    info.hidden = !mistake;
    info.replaceChildren();
    if (mistake) {
      const head = document.createElement("strong");
      head.textContent = "What if: " + mistake.title + ". ";
      info.append(head, mistake.explanation);
      if (data.mistake_source) info.appendChild(hoodButtons([data.mistake_source]));
    }
  }

  async function refreshClaims() {
    const seed = inputs.seed ? inputs.seed.value : "0";
    const qs = new URLSearchParams({ seed, mistake: inputs.mistake.value });
    const key = qs.toString();
    if (key === claimsShown) return;
    claimsShown = key;
    if (claimsRequest) claimsRequest.abort();
    const request = new AbortController();
    claimsRequest = request;
    const box = document.getElementById("claims");
    box.textContent = "running the lab…";
    try {
      const response = await fetch(`/api/labs/${PAGE.id}/claims?${key}`, { signal: request.signal });
      const data = await response.json();
      if (request !== claimsRequest) return;
      if (!response.ok) {
        box.textContent = data.message || String(data.detail);
        return;
      }
      window.explorer.claims = data;
      box.replaceChildren(...data.claims.map(claimItem));
      document.body.dataset.claims = key;
    } catch (error) {
      if (error.name !== "AbortError") box.textContent = "the lab did not answer: " + error.message;
    }
  }

  function claimItem(claim) {
    const item = document.createElement("details");
    item.className = "claim " + (claim.holds ? "holds" : "fails");
    const summary = document.createElement("summary");
    summary.textContent = (claim.holds ? "✓ " : "✗ ") + claim.statement;
    const evidence = document.createElement("pre");
    evidence.textContent = JSON.stringify(claim.evidence, null, 1);
    item.append(summary, evidence);
    if (claim.catches && claim.catches.length) {
      const catches = document.createElement("p");
      catches.textContent = "catches: " + claim.catches.join(", ");
      item.appendChild(catches);
    }
    return item;
  }

  async function openHood(name) {
    const dialog = document.getElementById("hood");
    document.getElementById("hood-name").textContent = name;
    document.getElementById("hood-file").textContent = "reading the installed source…";
    document.getElementById("hood-code").replaceChildren();
    dialog.showModal();
    const response = await fetch("/api/source?" + new URLSearchParams({ name }));
    const data = await response.json();
    if (!response.ok) {
      document.getElementById("hood-file").textContent = data.detail || "no source";
      return;
    }
    document.getElementById("hood-file").textContent =
      `mlhood/${data.file}, lines ${data.first_line}–${data.first_line + data.lines - 1}`;
    document.getElementById("hood-code").innerHTML = data.html;
  }

  buildControls();
  refresh();
})();
