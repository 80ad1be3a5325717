import { Y } from './zz-y.orm-entity.js'; export class X { y = () => Y; }
