// kubeplay's embed loader: the <kube-play> element, createPlayground() for a playground in an
// element or headless, and connect() for one in an iframe. Every playground on a page shares one
// download of the engine; each is its own cluster. Load it as a module from where the playground
// is hosted:  <script type="module" src="https://HOST/PATH/embed.js"></script>
const BASE = new URL('./', import.meta.url);
const PROTOCOL = 1;
const MAX_MESSAGE = 1 << 20;
const STYLES = ['style.css', 'tools.css', 'grid.css', 'time.css', 'lesson.css', 'embed.css'];
const EVENTS = ['ready', 'command', 'time', 'step', 'lesson', 'resize', 'destroy'];

let engine;
/** The engine, downloaded and compiled once per page. */
function loadEngine() {
  engine ??= import(new URL('kubeplay-web.js', BASE).href).then(async (glue) => {
    await glue.default({ module_or_path: new URL('kubeplay-web_bg.wasm', BASE) });
    return glue;
  });
  return engine;
}

/** The playground's styles, once per document; they style only what is inside `.kubeplay`. */
function ensureStyles(root = document.head) {
  for (const name of STYLES) {
    const href = new URL(name, BASE).href;
    if (!root.querySelector(`link[data-kubeplay="${name}"]`)) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = href;
      link.dataset.kubeplay = name;
      root.append(link);
    }
  }
}

/** Removes the common indentation of a block of text written inside HTML. */
function dedent(text) {
  const lines = text.replace(/^\s*\n/, '').replace(/\s+$/, '').split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim()).map((line) => line.match(/^\s*/)[0].length));
  return lines.map((line) => line.slice(Number.isFinite(indent) ? indent : 0)).join('\n') + '\n';
}

class Watchers {
  #byEvent = new Map();
  add(event, fn) {
    if (!EVENTS.includes(event)) throw new TypeError(`kubeplay: watch() takes one of ${EVENTS.join(', ')}, not ${event}`);
    if (typeof fn !== 'function') throw new TypeError('kubeplay: watch() needs a function');
    const set = this.#byEvent.get(event) ?? new Set();
    set.add(fn);
    this.#byEvent.set(event, set);
    return { remove: () => set.delete(fn) };
  }
  emit(event, data) {
    for (const fn of this.#byEvent.get(event) ?? []) {
      try {
        fn(data);
      } catch (error) {
        console.error(error);
      }
    }
  }
}

/** A playground in this page (an element's or a headless one). Every method returns a promise. */
class Playground {
  #inner;
  #watchers = new Watchers();
  #observer;
  #element;

  constructor(inner, element) {
    this.#inner = inner;
    this.#element = element;
    inner.onEvent((name, json) => this.#watchers.emit(name, JSON.parse(json)));
    if (element && typeof ResizeObserver === 'function') {
      this.#observer = new ResizeObserver(([entry]) =>
        this.#watchers.emit('resize', { width: entry.contentRect.width, height: entry.contentRect.height }),
      );
      this.#observer.observe(element);
    }
  }

  #call(fn) {
    return new Promise((resolve, reject) => {
      try {
        resolve(fn(this.#inner));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Runs a command line: resolves with { stdout, stderr, exitCode }, what the terminal shows. */
  exec(line, stdin) {
    return this.#call((inner) => {
      const { stdout, stderr, exitCode } = JSON.parse(inner.exec(String(line), stdin == null ? undefined : String(stdin)));
      return { stdout, stderr, exitCode };
    });
  }
  advance(duration) { return this.#call((inner) => inner.advance(String(duration))); }
  play() { return this.#call((inner) => inner.setPlaying(true)); }
  pause() { return this.#call((inner) => inner.setPlaying(false)); }
  setSpeed(speed) { return this.#call((inner) => inner.setSpeed(Number(String(speed).replace(/x$/, '')))); }
  show(panel) { return this.#call((inner) => inner.show(String(panel))); }
  /** A link to the standalone page that opens this cluster as it is now. */
  getShareUrl() { return this.#call((inner) => new URL(`index.html#${inner.sharePayload()}`, BASE).href); }
  /** The session as a compact string (a share link's payload); setState() opens one. */
  getState() { return this.#call((inner) => inner.sharePayload()); }
  async setState(state) {
    await this.#inner.openLink(String(state));
    const error = this.#inner.linkError();
    if (error) throw new Error(error);
  }
  /** kubectl that only reads (get, describe), without appearing in the terminal. */
  query(line) { return this.#call((inner) => { const { stdout, stderr, exitCode } = JSON.parse(inner.query(String(line))); return { stdout, stderr, exitCode }; }); }
  /** Starts a lesson: a built-in name, or the address of a lesson file on this site. */
  async openLesson(source) {
    source = String(source);
    let text;
    if (/[/.]/.test(source)) {
      const url = new URL(source, location.href);
      if (url.origin !== location.origin) throw new Error(`kubeplay: lessons load from this page's own origin (${location.origin}) only`);
      const response = await fetch(url);
      if (!response.ok) throw new Error(`kubeplay: ${url} answered ${response.status}`);
      text = await response.text();
    }
    return this.#call((inner) => inner.openLesson(source, text));
  }
  checkStep() { return this.#call((inner) => inner.lesson('check')); }
  hint() { return this.#call((inner) => inner.lesson('hint')); }
  showSolution() { return this.#call((inner) => inner.lesson('solution')); }
  applySolution() { return this.#call((inner) => inner.lesson('apply')); }
  resetStep() { return this.#call((inner) => inner.lesson('reset-step')); }
  resetLesson() { return this.#call((inner) => inner.lesson('reset-lesson')); }
  goToStep(index) { return this.#call((inner) => inner.lessonStep(Number(index))); }
  /** { title, steps: [{ title, done }], current, done, total, finished }, or null. */
  getLesson() { return this.#call((inner) => { const json = inner.lessonState(); return json ? JSON.parse(json) : null; }); }
  /** fn(data) on every `event` (ready, command, time, step, lesson, resize, destroy); { remove }. */
  watch(event, fn) { return this.#watchers.add(event, fn); }
  destroy() {
    return this.#call((inner) => {
      this.#observer?.disconnect();
      inner.destroy();
      this.#element?.replaceChildren();
      this.#watchers.emit('destroy', {});
    });
  }
  /** @internal */ _emit(event, data) { this.#watchers.emit(event, data); }
}

/** Waits until the engine has rendered the playground once (it answers calls from then on). */
async function firstRender(inner) {
  for (let tries = 0; tries < 200; tries++) {
    try {
      inner.sharePayload();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  throw new Error('kubeplay: the playground did not start');
}

/**
 * A playground in `container` (an element or a selector), or headless with { headless: true }.
 * Options: lesson, height, speed, playing, nodes, seed, view, theme, readonly, manifest, setup,
 * state. Resolves once it answers calls.
 */
export async function createPlayground(container, options = {}) {
  if (container && typeof container === 'object' && !(container instanceof Element)) {
    options = container;
    container = null;
  }
  const { loading, ...engineOptions } = options ?? {};
  const glue = await loadEngine();
  let playground;
  if (engineOptions.headless) {
    playground = new Playground(glue.createHeadless(JSON.stringify(engineOptions)), null);
  } else {
    const element = typeof container === 'string' ? document.querySelector(container) : container;
    if (!(element instanceof Element)) throw new TypeError('kubeplay: createPlayground needs an element or a selector that finds one');
    ensureStyles();
    const root = document.createElement('div');
    root.className = 'kubeplay-root';
    element.replaceChildren(root);
    const inner = glue.create(root, JSON.stringify(engineOptions));
    await firstRender(inner);
    playground = new Playground(inner, element);
  }
  playground._emit('ready', {});
  return playground;
}

/** A playground in an iframe (embed.html), driven over a private MessagePort. */
class RemotePlayground {
  #port;
  #pending = new Map();
  #next = 1;
  #watchers = new Watchers();

  constructor(port) {
    this.#port = port;
    port.onmessage = ({ data }) => {
      if (!data || typeof data !== 'object') return;
      if (data.kubeplay === 'event') this.#watchers.emit(data.event, data.data);
      if (data.kubeplay === 'result' || data.kubeplay === 'error') {
        const pending = this.#pending.get(data.id);
        this.#pending.delete(data.id);
        if (data.kubeplay === 'result') pending?.resolve(data.result);
        else pending?.reject(new Error(data.message));
      }
    };
  }

  #call(method, ...args) {
    const id = this.#next++;
    const message = { kubeplay: 'call', id, method, args };
    if (JSON.stringify(message).length > MAX_MESSAGE) return Promise.reject(new Error('kubeplay: the call is too large'));
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#port.postMessage(message);
    });
  }

  exec(line, stdin) { return this.#call('exec', String(line), stdin == null ? null : String(stdin)); }
  advance(duration) { return this.#call('advance', String(duration)); }
  play() { return this.#call('play'); }
  pause() { return this.#call('pause'); }
  setSpeed(speed) { return this.#call('setSpeed', String(speed)); }
  show(panel) { return this.#call('show', String(panel)); }
  getShareUrl() { return this.#call('getShareUrl'); }
  getState() { return this.#call('getState'); }
  setState(state) { return this.#call('setState', String(state)); }
  query(line) { return this.#call('query', String(line)); }
  openLesson(source) { return this.#call('openLesson', String(source)); }
  checkStep() { return this.#call('checkStep'); }
  hint() { return this.#call('hint'); }
  showSolution() { return this.#call('showSolution'); }
  applySolution() { return this.#call('applySolution'); }
  resetStep() { return this.#call('resetStep'); }
  resetLesson() { return this.#call('resetLesson'); }
  goToStep(index) { return this.#call('goToStep', Number(index)); }
  getLesson() { return this.#call('getLesson'); }
  watch(event, fn) { return this.#watchers.add(event, fn); }
  destroy() { this.#port.close(); this.#watchers.emit('destroy', {}); return Promise.resolve(); }
}

/**
 * Connects to a playground in `iframe` (its src is embed.html). The hello carries a fresh
 * MessagePort; everything after rides that port. It is posted to the iframe's origin, or to '*'
 * only when the iframe is sandboxed without allow-same-origin (its origin is then opaque and has
 * no name): the hello carries nothing but the port, and only that frame's answer is listened to.
 */
export function connect(iframe, { timeout = 10_000 } = {}) {
  const sandboxed = iframe.hasAttribute('sandbox') && !iframe.sandbox.contains('allow-same-origin');
  const target = sandboxed ? '*' : new URL(iframe.src, location.href).origin;
  return new Promise((resolve, reject) => {
    let done = false;
    const started = Date.now();
    const hello = () => {
      if (done) return;
      if (Date.now() - started > timeout) {
        done = true;
        reject(new Error('kubeplay: the iframe did not answer'));
        return;
      }
      const channel = new MessageChannel();
      channel.port1.onmessage = ({ data }) => {
        if (done || data?.kubeplay !== 'ready' || data.version !== PROTOCOL) return;
        done = true;
        resolve(new RemotePlayground(channel.port1));
      };
      iframe.contentWindow?.postMessage({ kubeplay: 'hello', version: PROTOCOL }, target, [channel.port2]);
      setTimeout(hello, 200);
    };
    hello();
  });
}

/** Reads what a <kube-play> element asks for: its attributes and its inline children. */
function elementOptions(element) {
  const options = {};
  for (const name of ['lesson', 'height', 'speed', 'playing', 'nodes', 'seed', 'view', 'theme', 'readonly', 'state']) {
    if (element.hasAttribute(name)) options[name] = element.getAttribute(name);
  }
  const manifest = element.querySelector(':scope > template[lang="yaml"], :scope > script[type="text/yaml"]');
  if (manifest) options.manifest = dedent(manifest instanceof HTMLTemplateElement ? manifest.content.textContent : manifest.textContent);
  const setup = element.querySelector(':scope > script[type="text/x-kubeplay"]');
  if (setup) options.setup = dedent(setup.textContent);
  return options;
}

class KubePlayElement extends HTMLElement {
  #playground = null;
  #started = false;
  #observer = null;
  #ready;
  #resolveReady;

  constructor() {
    super();
    this.#ready = new Promise((resolve) => (this.#resolveReady = resolve));
  }

  /** The element's playground, once it has started (see `ready`). */
  get playground() { return this.#playground; }
  /** Resolves with the playground once it has started. */
  get ready() { return this.#ready; }

  connectedCallback() {
    if (this.#started) return;
    this.style.display ||= 'block';
    const loading = this.getAttribute('loading') ?? 'lazy';
    if (loading === 'eager') {
      this.start();
    } else if (loading === 'click') {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'kubeplay-start';
      button.textContent = this.getAttribute('label') ?? 'Start the Kubernetes playground';
      button.addEventListener('click', () => this.start(), { once: true });
      this.append(button);
    } else if (typeof IntersectionObserver === 'function') {
      this.#observer = new IntersectionObserver((entries) => {
        if (entries.some((entry) => entry.isIntersecting)) this.start();
      }, { rootMargin: '200px' });
      this.#observer.observe(this);
    } else {
      this.start();
    }
  }

  disconnectedCallback() {
    this.#observer?.disconnect();
    // Moving the element within the page keeps it; taking it out takes its cluster down.
    queueMicrotask(() => {
      if (!this.isConnected && this.#playground) {
        this.#playground.destroy();
        this.#playground = null;
        this.#started = false;
      }
    });
  }

  /** Starts the playground now (lazy and click-to-load elements start on their own). */
  async start() {
    if (this.#started) return this.#ready;
    this.#started = true;
    this.#observer?.disconnect();
    this.querySelector(':scope > .kubeplay-start')?.remove();
    const host = document.createElement('div');
    host.className = 'kubeplay-host';
    this.append(host);
    try {
      this.#playground = await createPlayground(host, elementOptions(this));
      this.#resolveReady(this.#playground);
      this.dispatchEvent(new CustomEvent('kubeplay-ready', { detail: { playground: this.#playground } }));
    } catch (error) {
      host.replaceChildren(Object.assign(document.createElement('p'), { className: 'kubeplay-error', role: 'alert', textContent: `kubeplay: ${error.message ?? error}` }));
      this.dispatchEvent(new CustomEvent('kubeplay-error', { detail: { message: String(error.message ?? error) } }));
    }
    return this.#ready;
  }
}

if (!customElements.get('kube-play')) customElements.define('kube-play', KubePlayElement);

export const kubeplay = { createPlayground, connect, version: PROTOCOL };
globalThis.kubeplay ??= kubeplay;
