// Dashboard entry: the header, and the view the URL hash names.
import { render } from 'preact';
import { useRoute } from './route.ts';
import { FleetView } from './views/fleet-view.tsx';
import { NodeView } from './views/node-view.tsx';
import { WhatIfView } from './views/what-if-view.tsx';
import './styles.css';

function App() {
  const route = useRoute();
  return (
    <>
      <header>
        <a class="brand" href="#/">
          nodefit
        </a>
        <nav>
          <a href="#/" class={route.view === 'fleet' ? 'active' : ''}>
            Fleet
          </a>
          <a href="#/what-if" class={route.view === 'what-if' ? 'active' : ''}>
            What-if
          </a>
        </nav>
      </header>
      <main>
        {route.view === 'fleet' && <FleetView />}
        {route.view === 'node' && <NodeView name={route.name} />}
        {route.view === 'what-if' && <WhatIfView />}
      </main>
    </>
  );
}

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
