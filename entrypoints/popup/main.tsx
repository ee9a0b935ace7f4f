import { render } from 'preact';
import { Popup } from '../../components/Popup';
import { prefetchFirstRows } from '../../components/popup/useListStore';
import '../../components/popup.css';

prefetchFirstRows();
render(<Popup />, document.getElementById('app')!);
