// The iframe side of kubeplay's embed: reads the options from the address, starts the playground,
// and answers a host page over the MessagePort its hello hands over. It checks that the hello
// comes from the parent window (and, given ?origin=, from an allowed origin), refuses oversized
// messages, and runs only the API's own methods with plain values: never script.
import { createPlayground } from './embed.js';

const MAX_MESSAGE = 1 << 20;
const METHODS = new Set([
  'exec', 'advance', 'play', 'pause', 'setSpeed', 'show', 'getShareUrl', 'getState', 'setState', 'query',
  'openLesson', 'checkStep', 'hint', 'showSolution', 'applySolution', 'resetStep', 'resetLesson', 'goToStep', 'getLesson',
]);
const EVENTS = ['command', 'time', 'step', 'lesson', 'resize'];

const params = new URLSearchParams(location.search);
const origins = params.getAll('origin');
params.delete('origin');
const options = Object.fromEntries(params);
if (location.hash.startsWith('#k')) options.state = location.hash.slice(1);
const root = document.getElementById('playground');

function showError(message) {
  root.replaceChildren(Object.assign(document.createElement('div'), { className: 'kubeplay-frame-error', role: 'alert', textContent: message }));
}

let playground;
try {
  playground = await createPlayground(root, options);
} catch (error) {
  showError(`This playground could not start: ${error.message ?? error}`);
}

let port = null;
const plain = (value) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

window.addEventListener('message', (event) => {
  if (event.source !== window.parent || port || !playground) return;
  if (origins.length > 0 && !origins.includes(event.origin)) return;
  const data = event.data;
  if (data?.kubeplay !== 'hello' || data.version !== 1 || event.ports.length !== 1) return;
  port = event.ports[0];
  port.onmessage = async ({ data: call }) => {
    const id = call?.id;
    const reply = (message) => port.postMessage({ id, ...message });
    if (JSON.stringify(call ?? null).length > MAX_MESSAGE) return reply({ kubeplay: 'error', message: 'the message is too large' });
    if (call?.kubeplay !== 'call' || !METHODS.has(call.method) || !Array.isArray(call.args) || !call.args.every(plain)) {
      return reply({ kubeplay: 'error', message: `not a kubeplay call: ${String(call?.method)}` });
    }
    try {
      reply({ kubeplay: 'result', result: await playground[call.method](...call.args.map((arg) => (arg === null ? undefined : arg))) });
    } catch (error) {
      reply({ kubeplay: 'error', message: String(error?.message ?? error) });
    }
  };
  for (const name of EVENTS) playground.watch(name, (payload) => port.postMessage({ kubeplay: 'event', event: name, data: payload }));
  port.postMessage({ kubeplay: 'ready', version: 1 });
});
