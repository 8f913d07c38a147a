import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ChainProvider } from './ChainContext';
import { endpointFromLocation } from './lib/chain';
import './style.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ChainProvider url={endpointFromLocation(window.location.search)}>
        <App />
      </ChainProvider>
    </StrictMode>,
  );
}
