import { MonitorIcon, MoonIcon, SunIcon } from './icons';
import { setThemeChoice, type ThemeChoice, useTheme } from './theme';

const OPTIONS: { value: ThemeChoice; label: string; Icon: typeof SunIcon }[] = [
  { value: 'light', label: 'Light theme', Icon: SunIcon },
  { value: 'system', label: 'Follow the system theme', Icon: MonitorIcon },
  { value: 'dark', label: 'Dark theme', Icon: MoonIcon },
];

/** Light / system / dark as a three-way segmented control (a radio group for screen readers). */
export function ThemeToggle() {
  const { choice } = useTheme();
  return (
    <div className="segmented" role="radiogroup" aria-label="Colour theme">
      {OPTIONS.map(({ value, label, Icon }) => (
        <button
          key={value}
          type="button"
          role="radio"
          aria-checked={choice === value}
          aria-label={label}
          title={label}
          className="segmented-item"
          onClick={() => setThemeChoice(value)}
        >
          <Icon />
        </button>
      ))}
    </div>
  );
}
