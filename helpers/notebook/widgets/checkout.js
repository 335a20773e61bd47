// Front end of CheckoutWidget: mounts the Clover host's card iframes in a cell output
// and hands only the clv_ token and a masked card summary back to Python.

const FIELDS = [
  ["CARD_NUMBER", "Card number", "number"],
  ["CARD_DATE", "Expiry", "date"],
  ["CARD_CVV", "CVV", "cvv"],
  ["CARD_POSTAL_CODE", "ZIP / postal code", "zip"],
];
const MASK = "\u2022\u2022\u2022\u2022";

// One load per sdk.js URL; each load defines its own Clover class bound to its origin.
const sdkLoads = new Map();

function loadSdk(url) {
  const absolute = new URL(url, document.baseURI).href;
  const base = new URL(".", absolute).href;
  if (window.Clover && window.Clover.sdkBase === base) {
    return Promise.resolve(window.Clover);
  }
  if (!sdkLoads.has(absolute)) {
    sdkLoads.set(absolute, new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = absolute;
      script.async = true;
      script.onload = () => {
        if (window.Clover && window.Clover.sdkBase === base) {
          resolve(window.Clover);
        } else {
          sdkLoads.delete(absolute);
          reject(new Error(`${absolute} did not define the Clover SDK.`));
        }
      };
      script.onerror = () => {
        sdkLoads.delete(absolute);
        script.remove();
        reject(new Error(`Could not load ${absolute}. Is the sandbox running and reachable from this browser?`));
      };
      document.head.appendChild(script);
    }));
  }
  return sdkLoads.get(absolute);
}

function isLoopback(host) {
  return host === "localhost" || host === "[::1]" || /^127\./.test(host);
}

// The same loopback address, through this page's Jupyter server (jupyter-server-proxy
// serves <base url>proxy/<port>/), or null outside Jupyter or for any other address.
function jupyterProxyUrl(absolute) {
  const url = new URL(absolute);
  const config = document.getElementById("jupyter-config-data");
  if (url.protocol !== "http:" || !isLoopback(url.hostname) || !url.port || !config) return null;
  let baseUrl;
  try {
    baseUrl = JSON.parse(config.textContent).baseUrl;
  } catch (err) {
    return null;
  }
  if (!baseUrl) return null;
  const base = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
  return new URL(`${base}proxy/${url.port}${url.pathname}${url.search}`, window.location.origin).href;
}

// Where to load sdk.js from, in order. A loopback address works only when the browser runs
// on the sandbox's machine; otherwise the Jupyter server's proxy is the way in. A page from
// another machine never tries its own loopback: whatever answers there is not our sandbox.
function sdkCandidates(url) {
  const absolute = new URL(url, document.baseURI).href;
  const proxied = jupyterProxyUrl(absolute);
  if (!proxied) return [absolute];
  return isLoopback(window.location.hostname) ? [absolute, proxied] : [proxied];
}

async function loadFirstSdk(url) {
  let failure;
  for (const candidate of sdkCandidates(url)) {
    try {
      return await loadSdk(candidate);
    } catch (err) {
      failure = err;
    }
  }
  throw failure;
}

function money(cents) {
  return (cents / 100).toLocaleString("en-US", { style: "currency", currency: "USD" });
}

function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function cardSummary(card) {
  if (!card || !card.last4) return "";
  const expiry = card.exp_month && card.exp_year
    ? ` ${card.exp_month}/${String(card.exp_year).slice(-2)}`
    : "";
  return `${card.brand || ""} ${MASK}${card.last4}${expiry}`.trim();
}

function render({ model, el }) {
  const root = make("div", "clover-checkout");
  const heading = make("div", "clover-checkout__heading", "Card details");
  const amount = model.get("amount");
  if (amount) {
    heading.append(make("span", "clover-checkout__amount", ` \u00b7 ${money(amount)}`));
  }
  root.append(heading);

  const grid = make("div", "clover-checkout__grid");
  const errorBoxes = {};
  const slots = {};
  for (const [type, label, area] of FIELDS) {
    const cell = make("div", `clover-checkout__cell clover-checkout__cell--${area}`);
    cell.append(make("div", "clover-checkout__label", label));
    slots[type] = make("div", "clover-checkout__slot");
    slots[type].setAttribute("data-field", type);
    cell.append(slots[type]);
    errorBoxes[type] = make("div", "clover-checkout__error");
    errorBoxes[type].setAttribute("data-error-for", type);
    cell.append(errorBoxes[type]);
    grid.append(cell);
  }
  root.append(grid);

  const button = make("button", "clover-checkout__button", "Create card token");
  button.type = "button";
  button.disabled = true;
  const status = make("div", "clover-checkout__status");
  status.setAttribute("aria-live", "polite");
  root.append(button, status);
  el.append(root);

  function show() {
    const state = model.get("status");
    const token = model.get("token");
    const errors = model.get("errors") || {};
    root.setAttribute("data-status", state);
    for (const [type] of FIELDS) {
      if (errors[type]) errorBoxes[type].textContent = errors[type];
    }
    if (state === "tokenized" && token) {
      status.textContent = `Token clv_${MASK}${token.slice(-4)} for ${cardSummary(model.get("card"))}. ` +
        "Python has it now: run the next cell to use it.";
    } else if (state === "tokenizing") {
      status.textContent = "Creating a token\u2026";
    } else if (state === "error") {
      const general = errors.REQUEST || errors.SDK;
      status.textContent = general || "Please check the card details.";
    } else if (state === "loading") {
      status.textContent = "Loading the card fields\u2026";
    } else {
      status.textContent = "";
    }
  }

  function setModel(values) {
    for (const [key, value] of Object.entries(values)) model.set(key, value);
    model.save_changes();
  }

  let clover = null;
  let disposed = false;

  function showFieldStates(states) {
    for (const [type] of FIELDS) {
      const fieldState = states[type] || {};
      errorBoxes[type].textContent = fieldState.error || "";
    }
  }

  setModel({ status: "loading" });
  show();

  loadFirstSdk(model.get("sdk_url")).then((Clover) => {
    if (disposed) return;
    clover = new Clover(model.get("api_access_key"), {
      merchantId: model.get("merchant_id"),
      locale: model.get("locale") || "en",
    });
    const elements = clover.elements();
    for (const [type] of FIELDS) {
      const element = elements.create(type, { input: { fontSize: "15px" } }).mount(slots[type]);
      element.addEventListener("change", showFieldStates);
      element.addEventListener("blur", showFieldStates);
    }
    button.disabled = false;
    setModel({ status: model.get("token") ? "tokenized" : "ready" });
  }).catch((err) => {
    if (disposed) return;
    setModel({ status: "error", errors: { SDK: String(err.message || err) } });
  });

  button.addEventListener("click", async () => {
    if (!clover) return;
    button.disabled = true;
    setModel({ status: "tokenizing", errors: {} });
    try {
      const result = await clover.createToken();
      if (result.token) {
        const card = result.card || {};
        setModel({
          token: result.token,
          card: {
            brand: card.brand || "",
            last4: card.last4 || "",
            exp_month: card.exp_month || "",
            exp_year: card.exp_year || "",
          },
          errors: {},
          status: "tokenized",
        });
      } else {
        setModel({ token: "", card: {}, errors: result.errors || {}, status: "error" });
      }
    } catch (err) {
      setModel({ status: "error", errors: { REQUEST: String(err.message || err) } });
    } finally {
      button.disabled = false;
    }
  });

  model.on("change:status", show);
  model.on("change:token", show);
  model.on("change:errors", show);

  return () => {
    disposed = true;
    model.off("change:status", show);
    model.off("change:token", show);
    model.off("change:errors", show);
    if (clover) clover.destroy();
  };
}

export default { render };
