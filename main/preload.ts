// The whole preload: ask main for a MessagePort and hand it to the page. Nothing is
// exposed on window; there is no generic invoke bridge.
import { ipcRenderer } from 'electron';

ipcRenderer.on('eventscope:port', (event) => {
  // file:// pages have the opaque origin "null", which postMessage cannot name.
  const target = window.location.origin === 'null' ? '*' : window.location.origin;
  window.postMessage('eventscope:port', target, event.ports);
});
ipcRenderer.send('eventscope:request-port');
