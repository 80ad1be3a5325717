import { X } from './zz-x.orm-entity.js'; export class Y { x = () => X; }
