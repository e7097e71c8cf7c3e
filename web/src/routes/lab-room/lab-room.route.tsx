import { createLazyRoute } from '@tanstack/react-router';
import { LabRoomPage } from './lab-room.page';

export const Route = createLazyRoute('/signed-in/attempts/$attemptId')({ component: LabRoomPage });
