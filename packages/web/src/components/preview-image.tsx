/** A server preview that degrades to a quiet placeholder when the frame has none (yet). */
import { type ImgHTMLAttributes, type ReactNode, useState } from 'react';

interface Props extends ImgHTMLAttributes<HTMLImageElement> {
  src: string;
  /** What to show instead when the server has no preview (default: a small mark). */
  fallback?: ReactNode;
}

export function PreviewImage({ src, alt, className, fallback, onError, ...rest }: Props) {
  const [failed, setFailed] = useState(false);
  if (failed)
    return (
      fallback ?? (
        <span
          className={`${className ?? ''} no-preview`}
          role="img"
          aria-label={alt ? `${alt} (no preview)` : 'no preview'}
          title="No preview rendered for this frame"
        >
          ✦
        </span>
      )
    );
  return (
    <img
      src={src}
      alt={alt}
      className={className}
      onError={(event) => {
        setFailed(true);
        onError?.(event);
      }}
      {...rest}
    />
  );
}
