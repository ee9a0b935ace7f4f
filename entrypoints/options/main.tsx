import { render } from 'preact';
import { Options } from '../../components/Options';
import '../../components/popup.css';

render(<Options />, document.getElementById('app')!);
