export default function AdminScreen(_: { self: unknown }) {
  return <p>Admin</p>;
}
